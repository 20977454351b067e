"""After a bulk load, the search structures settled before any reader pays for them.

``flask optimize``, an import of ``import_jobs.LARGE_IMPORT`` concepts or more,
and ``bench/search.py`` all do the same two things, here: merge the full-text
indexes and refresh the planner's statistics (``optimize_search_structures``),
then build and save the term-recognition tables (``build_recognizer``).
"""

from __future__ import annotations

import time

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..models.search_index import optimize_search_structures
from ..search.annotate import build_recognizer

__all__ = ["settle_search_structures"]


def settle_search_structures(engine: Engine, session: Session) -> tuple[float, float]:
    """Seconds spent merging the indexes (in a transaction of its own), and building the tables."""
    started = time.perf_counter()
    with engine.begin() as connection:
        optimize_search_structures(connection)
    merged = time.perf_counter() - started
    return merged, build_recognizer(session)
