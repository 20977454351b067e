"""A concept as readers see it: its preferred names and its terms in order, read from any concept.

Built from anything concept-shaped (an ORM ``Concept``, or light rows that the
batch endpoints load with Core queries for speed), so the reading is the same
whichever query produced it. The search page reads ``read_concept``; the JSON
shape of a concept lives with the API (``glossary.api.representations``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, select
from sqlalchemy.orm import Session, joinedload

from ..models import Concept, Term
from ..models.arrays import among, array_value
from ..models.rules import ordered_terms
from .prepared import prepared, run

__all__ = [
    "TERM_COLUMNS",
    "ConceptReading",
    "ConceptRow",
    "TermRow",
    "concept_url",
    "concepts_in_order",
    "load_concept_rows",
    "preferred_term",
    "read_concept",
]

# Enough to turn ids into documents without loading ORM objects.
TERM_COLUMNS = (
    Term.id,
    Term.concept_id,
    Term.lang,
    Term.text,
    Term.kind,
    Term.status,
    Term.zh_hant,
    Term.pinyin,
    Term.count,
)


@dataclass(frozen=True)
class TermRow:
    """A term as a read needs it: the columns of ``TERM_COLUMNS``, no ORM object."""

    id: int
    concept_id: int
    lang: str
    text: str
    kind: str
    status: str
    zh_hant: str | None
    pinyin: str | None
    count: int | None


@dataclass
class ConceptRow:
    """A concept as a read needs it (what ``read_concept`` reads), with its terms."""

    id: int
    domain: str | None
    definition: str | None
    version: int
    terms: list[TermRow] = field(default_factory=list)

    def terms_of(self, lang: str, kind: str | None = None) -> list[TermRow]:
        """This concept's terms in one language, preferred first (as ``Concept.terms_of``)."""
        return ordered_terms(self.terms, lang, kind)


def load_concept_rows(session: Session, concept_ids: Iterable[int]) -> dict[int, ConceptRow]:
    """Concepts with their terms, one Core statement however many: id → ``ConceptRow``
    (missing ids left out; a concept without terms has an empty list).

    The ids travel as one array parameter (SQLite's ``json_each``, PostgreSQL's ``= ANY``), not
    as thousands of bound values: expanding those cost more than the query itself.
    """
    ids = list(dict.fromkeys(concept_ids))
    if not ids:
        return {}
    connection = session.connection()
    concepts: dict[int, ConceptRow] = {}
    result = run(
        connection,
        prepared(_concept_rows_statement, connection.dialect),
        {"ids": array_value(connection.dialect.name, ids)},
    )
    # Plain tuples, unpacked by position (the statement's column order): a batch reads thousands.
    for cid, domain, definition, version, *term in result:
        concept = concepts.get(cid)
        if concept is None:
            concept = concepts[cid] = ConceptRow(cid, domain, definition, version)
        if term[0] is not None:
            concept.terms.append(TermRow(*term))
    return concepts


def _concept_rows_statement(dialect: str) -> Any:
    c = Concept.__table__.c
    t = Term.__table__.c
    # The concept's four fields, then the term's in ``TermRow``'s field order: rows are unpacked by position.
    return (
        select(c.id.label("cid"), c.domain, c.definition, c.version, *TERM_COLUMNS)
        .outerjoin(Term.__table__, t.concept_id == c.id)
        .where(among(c.id, "ids", dialect, Integer))
        .order_by(t.id)
    )


def concept_url(concept_id: int) -> str:
    """The concept's page (a plain path: the page belongs to the concept views)."""
    return f"/concepts/{concept_id}"


def preferred_term(terms: Sequence[Any], lang: str, *, abbreviation: bool = False) -> Any | None:
    """The best term of a language: the first of the rulebook's order, abbreviations apart."""
    for term in ordered_terms(terms, lang):
        if (term.kind == "abbreviation") == abbreviation:
            return term
    return None


@dataclass(frozen=True)
class ConceptReading:
    """What a reader sees of a concept: the preferred name of each language, its
    abbreviations, and every term in the rulebook's order (``ordered_terms``)."""

    id: int
    zh: str | None
    zh_hant: str | None
    pinyin: str | None
    en: str | None
    abbreviations: list[str]
    domain: str | None
    definition: str | None
    version: int
    url: str
    terms: list[Any]


def read_concept(concept: Any) -> ConceptReading:
    """The reading of an ORM ``Concept`` or a ``ConceptRow``."""
    terms = ordered_terms(concept.terms)
    zh = preferred_term(terms, "zh")
    en = preferred_term(terms, "en")
    return ConceptReading(
        id=concept.id,
        zh=zh.text if zh else None,
        zh_hant=zh.zh_hant if zh else None,
        pinyin=zh.pinyin if zh else None,
        en=en.text if en else None,
        abbreviations=list(dict.fromkeys(t.text for t in terms if t.kind == "abbreviation")),
        domain=concept.domain,
        definition=concept.definition,
        version=concept.version,
        url=concept_url(concept.id),
        terms=terms,
    )


def concepts_in_order(session: Session, concept_ids: Sequence[int]) -> list[Concept]:
    """ORM concepts (terms loaded) in the order of ``concept_ids``, skipping missing ones."""
    if not concept_ids:
        return []
    # One query with a join: a page is small, and one round trip beats selectinload's two.
    rows = (
        session.scalars(select(Concept).where(Concept.id.in_(list(concept_ids))).options(joinedload(Concept.terms)))
        .unique()
        .all()
    )
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in concept_ids if i in by_id]
