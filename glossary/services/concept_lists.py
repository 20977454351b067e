"""Lists of concepts for people to browse: A–Z or pinyin order, per domain, per status, the deleted ones.

Reads only. Sorting and paging happen in the database so that a glossary of
tens of thousands of concepts pages as fast as the starter one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import Concept, Revision, Term
from ..search import search_concepts

BROWSE_ORDERS = ("pinyin", "en")
NO_DOMAIN = "-"  # the domain filter's value for concepts without a domain


@dataclass(frozen=True)
class BrowsePage:
    concepts: list[Concept]
    total: int
    # (domain or None, number of concepts), most concepts first: the filter's choices and counts.
    domains: list[tuple[str | None, int]]
    letters: list[str]


def _sort_keys(order: str):
    """Per concept, the key it is listed under: its first Chinese term's pinyin, or its first English term."""
    if order == "en":
        key = func.min(func.lower(Term.text))
        where = (Term.lang == "en") & (Term.kind == "full")
    else:
        key = func.min(Term.pinyin_key)
        where = (Term.lang == "zh") & (Term.kind != "abbreviation")
    return select(Term.concept_id, key.label("sort_key")).where(where).group_by(Term.concept_id).subquery()


def browse_concepts(
    session: Session,
    order: str = "pinyin",
    domain: str | None = None,
    letter: str = "",
    limit: int = 50,
    offset: int = 0,
) -> BrowsePage:
    """Concepts in alphabetical order of pinyin (or English), optionally of one domain and one initial."""
    order = order if order in BROWSE_ORDERS else "pinyin"
    keys = _sort_keys(order)
    stmt = select(Concept).outerjoin(keys, keys.c.concept_id == Concept.id)
    if domain == NO_DOMAIN:
        stmt = stmt.where(Concept.domain.is_(None))
    elif domain:
        stmt = stmt.where(Concept.domain == domain)
    initial = func.substr(keys.c.sort_key, 1, 1)
    letters_stmt = stmt.with_only_columns(initial).where(keys.c.sort_key.is_not(None)).distinct()
    letters = sorted({(value or "").upper() for value in session.scalars(letters_stmt) if value})
    if len(letter) == 1 and letter.isalpha():
        stmt = stmt.where(func.lower(initial) == letter.lower())
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Concept.terms))
        # Concepts with no term of that language last, then by key, then by id for a stable order.
        .order_by(keys.c.sort_key.is_(None), keys.c.sort_key, Concept.id)
        .limit(limit)
        .offset(offset)
    ).all()
    counts = session.execute(select(Concept.domain, func.count()).group_by(Concept.domain)).all()
    domains = sorted(((d, n) for d, n in counts), key=lambda pair: (-pair[1], pair[0] or "\uffff"))
    return BrowsePage(list(rows), total, domains, letters)


def status_counts(session: Session) -> dict[str, int]:
    """How many concepts there are in each status (``draft``, ``approved``)."""
    return dict(session.execute(select(Concept.status, func.count()).group_by(Concept.status)).all())


def find_concepts(session: Session, query: str, limit: int = 10) -> list[Concept]:
    """Concepts for a curator choosing a target ("merge into…"): an id, or a search in any language."""
    query = query.strip()
    if query.isdigit():
        concept = session.get(Concept, int(query))
        return [concept] if concept else []
    if not query:
        return []
    return [hit.concept for hit in search_concepts(session, query, limit=limit).results]


def deleted_concepts(session: Session, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Deleted concepts, latest deletion first: id, when, by whom and its last state (to restore it)."""
    latest = (
        select(func.max(Revision.id))
        .where(Revision.action == "delete", Revision.concept_id.not_in(select(Concept.id)))
        .group_by(Revision.concept_id)
    )
    total = session.scalar(select(func.count()).select_from(latest.subquery())) or 0
    rows = session.scalars(
        select(Revision).where(Revision.id.in_(latest)).order_by(Revision.id.desc()).limit(limit).offset(offset)
    ).all()
    return [
        {"concept_id": r.concept_id, "deleted_at": r.created_at, "by": r.user_name or "system", "last": r.before or {}}
        for r in rows
    ], total
