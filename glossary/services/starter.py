"""Load the starter glossary into an empty database (``make run`` does this).

The starter file is a JSON glossary export, so it goes through the same reader
and import service as any restore: one code path for sources, evidence and
concepts, and a second load merges instead of duplicating.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..formats import parse_glossary
from ..models import Concept
from .interchange import import_glossary

STARTER_PATH = Path(__file__).resolve().parent.parent / "data" / "starter.json"


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Concept))


def load_starter(session: Session, path: Path = STARTER_PATH) -> int:
    """Add the starter concepts with their sources and evidence; returns how many were new.

    Adds and flushes only; the caller commits. Raises ``FormatError`` for an
    unreadable file and ``ValueError`` if any concept in it is malformed.
    """
    parsed = parse_glossary(path.read_bytes(), "json")
    report = import_glossary(session, parsed.data, lines=parsed.lines, action="starter")
    if not report.ok:
        problems = "; ".join(item.describe() for item in report.outcomes if item.outcome == "error")
        raise ValueError(f"{path.name}: {problems}")
    return report.counts["new"]
