"""The audit trail: every write to a concept records who, when, before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Revision, User


def record_revision(
    session: Session,
    *,
    concept_id: int | None,
    actor: User | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> Revision:
    """Add one revision row (flushed, not committed)."""
    revision = Revision(
        concept_id=concept_id,
        user_id=actor.id if actor else None,
        user_name=actor.name if actor else "system",
        action=action,
        before=before,
        after=after,
    )
    session.add(revision)
    session.flush()
    return revision


def concept_history(session: Session, concept_id: int, *, public: bool = False) -> list[Revision]:
    """Every revision of a concept, newest first; ``public`` leaves out the curators' internal notes."""
    stmt = (
        select(Revision)
        .where(Revision.concept_id == concept_id)
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    if public:
        stmt = stmt.where(Revision.action != "internal_note")
    return list(session.scalars(stmt))
