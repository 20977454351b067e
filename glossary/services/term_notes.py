"""A public note or source on one term ("Taiwan usage", "used before 2010", a reference).

Kept in its own table beside the term row, and recorded in the concept's
history as its own change (action ``term_note``), so a concept's snapshot,
imports and exports keep their shape.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Term, TermNote, User
from ..models.rules import FIELD_LIMITS
from ..text import has_cjk
from .concepts import get_concept
from .revisions import record_revision

MAX_TERM_NOTE = FIELD_LIMITS["term_note"]


def term_notes(session: Session, concept_id: int) -> dict[int, str]:
    """Each term's note, by term id."""
    rows = session.execute(
        select(TermNote.term_id, TermNote.text)
        .join(Term, Term.id == TermNote.term_id)
        .where(Term.concept_id == concept_id)
    ).all()
    return dict(rows)


def _label(term: Term) -> str:
    return f"{term.text} ({term.lang}{'' if term.kind == 'full' else ', ' + term.kind})"


def set_term_notes(session: Session, concept_id: int, notes: list[dict[str, Any]], actor: User | None) -> bool:
    """Set the notes of the concept's terms, each named by ``text``, ``kind`` and optional ``lang``
    (an empty note removes it; a term left out keeps its note). Returns whether anything changed."""
    concept = get_concept(session, concept_id)
    current = term_notes(session, concept_id)
    before, after = {}, {}
    for wanted in notes:
        text, kind, note = wanted.get("text") or "", wanted.get("kind") or "full", (wanted.get("note") or "").strip()
        lang = wanted.get("lang") or ("zh" if has_cjk(text) else "en")
        if len(note) > MAX_TERM_NOTE or "\x00" in note:
            raise ValidationFailed(
                f"The note of {text!r} must be at most {MAX_TERM_NOTE} characters of text.", details={"field": "note"}
            )
        term = next((t for t in concept.terms if (t.lang, t.kind, t.text) == (lang, kind, text.strip())), None)
        if term is None or current.get(term.id, "") == note:
            continue
        before[_label(term)], after[_label(term)] = current.get(term.id, ""), note
        row = session.get(TermNote, term.id)
        if not note:
            session.delete(row)
        elif row is None:
            session.add(TermNote(term_id=term.id, text=note))
        else:
            row.text = note
    if not after:
        return False
    session.flush()
    record_revision(
        session,
        concept_id=concept_id,
        actor=actor,
        action="term_note",
        before={"term_notes": before},
        after={"term_notes": after},
    )
    return True
