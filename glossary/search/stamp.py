"""The glossary stamp: what per-process caches (answers, the recognition automata) are keyed by.

``(max(term.id), max(revision.id))``: two primary-key look-ups, microseconds.
Every write through the services records a revision, so any edit, addition or
deletion changes it. Ids are never reused (``AUTOINCREMENT`` on SQLite,
sequences on PostgreSQL), so a term id names one spelling forever.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Revision, Term

__all__ = ["glossary_stamp"]

_STAMP = select(
    select(func.max(Term.__table__.c.id)).scalar_subquery(), select(func.max(Revision.__table__.c.id)).scalar_subquery()
)


def glossary_stamp(session: Session) -> tuple[int, int]:
    """``(max(term.id), max(revision.id))`` as of this session's transaction."""
    newest_term, newest_revision = session.connection().execute(_STAMP).one()
    return newest_term or 0, newest_revision or 0
