"""The concept as every API answer and page shows it: one plain dict.

Built from anything concept-shaped (an ORM ``Concept``, or light rows that the
batch endpoints load with Core queries for speed), so the object is always the
same whichever endpoint produced it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import TERM_STATUSES, Concept, Term

__all__ = ["concept_document", "concept_url", "concepts_in_order", "load_concept_documents", "preferred_term"]

_STATUS_ORDER = {s: i for i, s in enumerate(TERM_STATUSES)}
_KIND_ORDER = {"full": 0, "variant": 1, "abbreviation": 2}
# Enough to turn ids into documents without loading ORM objects.
_TERM_COLUMNS = (Term.id, Term.concept_id, Term.lang, Term.text, Term.kind, Term.status,
                 Term.zh_hant, Term.pinyin, Term.count)


def concept_url(concept_id: int) -> str:
    """The concept's page (a plain path: the page belongs to the concept views)."""
    return f"/concepts/{concept_id}"


def _ordered(terms: Iterable[Any]) -> list[Any]:
    return sorted(terms, key=lambda t: (_STATUS_ORDER.get(t.status, 9), _KIND_ORDER.get(t.kind, 9), t.id or 0))


def preferred_term(terms: Sequence[Any], lang: str, *, abbreviation: bool = False) -> Any | None:
    """The best term of a language: preferred before admitted, full names before variants."""
    for term in _ordered(terms):
        if term.lang == lang and (term.kind == "abbreviation") == abbreviation:
            return term
    return None


def concept_document(concept: Any) -> dict[str, Any]:
    """``id, zh, zh_hant, pinyin, en, abbreviations, domain, definition, terms, version, url``."""
    terms = _ordered(concept.terms)
    zh = preferred_term(terms, "zh")
    en = preferred_term(terms, "en")
    return {
        "id": concept.id,
        "zh": zh.text if zh else None,
        "zh_hant": zh.zh_hant if zh else None,
        "pinyin": zh.pinyin if zh else None,
        "en": en.text if en else None,
        "abbreviations": list(dict.fromkeys(t.text for t in terms if t.kind == "abbreviation")),
        "domain": concept.domain,
        "definition": concept.definition,
        "terms": [{"lang": t.lang, "text": t.text, "kind": t.kind, "status": t.status} for t in terms],
        "version": concept.version,
        "url": concept_url(concept.id),
    }


def load_concept_documents(session: Session, concept_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Documents for many concepts in two Core queries (no ORM objects): id → document."""
    ids = list(dict.fromkeys(concept_ids))
    documents: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        concepts = session.execute(
            select(Concept.id, Concept.domain, Concept.definition, Concept.version)
            .where(Concept.id.in_(chunk))).all()
        terms: dict[int, list[Any]] = defaultdict(list)
        for row in session.execute(select(*_TERM_COLUMNS).where(Term.concept_id.in_(chunk))):
            terms[row.concept_id].append(row)
        for row in concepts:
            shaped = SimpleNamespace(id=row.id, domain=row.domain, definition=row.definition,
                                     version=row.version, terms=terms[row.id])
            documents[row.id] = concept_document(shaped)
    return documents


def concepts_in_order(session: Session, concept_ids: Sequence[int]) -> list[Concept]:
    """ORM concepts (terms loaded) in the order of ``concept_ids``, skipping missing ones."""
    if not concept_ids:
        return []
    # One query with a join: a page is small, and one round trip beats selectinload's two.
    rows = session.scalars(select(Concept).where(Concept.id.in_(list(concept_ids)))
                           .options(joinedload(Concept.terms))).unique().all()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in concept_ids if i in by_id]
