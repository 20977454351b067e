"""The curators' internal note on a concept: kept apart from the public definition and note.

It lives in its own table and its own revisions (action ``internal note``),
which the concept page shows to curators only; the API, exports and the public
history never carry it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import InternalNote, User
from ..models.rules import FIELD_LIMITS
from .concepts import get_concept
from .revisions import record_revision

INTERNAL_NOTE_ACTION = "internal_note"
MAX_INTERNAL_NOTE = FIELD_LIMITS["internal_note"]


def internal_note(session: Session, concept_id: int) -> str:
    row = session.get(InternalNote, concept_id)
    return row.text if row else ""


def set_internal_note(session: Session, concept_id: int, text: object, actor: User | None) -> bool:
    """Replace the note (empty removes it); returns whether it changed. Recorded in the history."""
    if not isinstance(text, str):
        raise ValidationFailed("The internal note must be text.", details={"field": "internal_note"})
    text = text.strip()
    if "\x00" in text or len(text) > MAX_INTERNAL_NOTE:
        raise ValidationFailed(
            f"The internal note must be at most {MAX_INTERNAL_NOTE} characters of text.",
            details={"field": "internal_note"},
        )
    get_concept(session, concept_id)
    row = session.get(InternalNote, concept_id)
    before = row.text if row else ""
    if before == text:
        return False
    if not text:
        session.delete(row)
    elif row is None:
        session.add(InternalNote(concept_id=concept_id, text=text))
    else:
        row.text = text
    session.flush()
    record_revision(
        session,
        concept_id=concept_id,
        actor=actor,
        action="internal_note",
        before={"internal_note": before},
        after={"internal_note": text},
    )
    return True
