"""Exact look-ups for machines: an abbreviation's expansions, and batches of terms.

Both read only indexed equality (``kind, text`` and ``lang, key``) and build the
concept documents with Core queries. A batch of terms is one statement for all
its keys, passed as one JSON array (SQLite's ``json_each``) or one array
(PostgreSQL's ``= ANY``), whatever its size, then the documents of the
concepts found (two statements per 500 concepts). Typo matching is asked for
with ``fuzzy``: only the terms that found nothing exactly go through it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import String, any_, bindparam, func, literal_column, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Term
from ..textkeys import abbr_key, english_key, fold_common, has_cjk, zh_key
from .concept_search import fuzzy_candidates, fuzzy_ranked
from .documents import load_concept_documents

__all__ = ["CONCEPTS_PER_TERM", "MAX_LOOKUP_TERMS", "expand_abbreviation", "lookup_terms"]

MAX_LOOKUP_TERMS = 5000
# An ambiguous abbreviation can stand for hundreds of concepts: a batch answer names the most seen.
CONCEPTS_PER_TERM = 10
_T = Term.__table__.c


def expand_abbreviation(session: Session, abbr: str) -> dict[str, Any]:
    """Every concept an abbreviation stands for: as written first, else case-insensitively.

    Raises ``NotFound`` when the glossary does not know it.
    """
    written = fold_common(abbr)
    rows = session.execute(
        select(Term.concept_id, Term.text, Term.count).where(Term.kind == "abbreviation", Term.text == written)
    ).all()
    case_sensitive = bool(rows)
    if not rows and abbr_key(written):
        rows = session.execute(
            select(Term.concept_id, Term.text, Term.count).where(
                Term.lang == "en", Term.key == abbr_key(written), Term.kind == "abbreviation"
            )
        ).all()
    if not rows:
        raise NotFound(f"The glossary has no abbreviation {written!r}.")
    seen: dict[int, int] = defaultdict(int)
    for row in rows:
        seen[row.concept_id] += row._mapping["count"] or 0  # not Row.count: the stubs see the tuple method there
    documents = load_concept_documents(session, seen)
    expansions = []
    for concept_id, count in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
        document = documents[concept_id]
        full = [t for t in document["terms"] if t["kind"] != "abbreviation"]
        expansions.append(
            {
                "en": [t["text"] for t in full if t["lang"] == "en"],
                "zh": [t["text"] for t in full if t["lang"] == "zh"],
                "count": count,
                "concept": document,
            }
        )
    return {"abbreviation": written, "case_sensitive": case_sensitive, "results": expansions, "total": len(expansions)}


def _keys_for(term: str) -> list[tuple[str, str]]:
    """(lang, key) pairs a looked-up term may equal: Chinese, or English and abbreviation."""
    if has_cjk(term):
        return [("zh", zh_key(term))]
    return [(lang, key) for lang, key in (("en", english_key(term)), ("en", abbr_key(term))) if key]


@lru_cache(maxsize=4)
def _batch_statement(dialect: str) -> Any:
    """Every term whose (lang, key) is among the batch's: one statement, two array parameters."""

    def among(name: str) -> Any:
        if dialect == "sqlite":
            return _T.key.in_(select(literal_column("value")).select_from(func.json_each(bindparam(name))))
        return _T.key == any_(bindparam(name, type_=ARRAY(String)))

    # A UNION ALL, not an OR: each half is a probe of ix_term_lang_key per key.
    return union_all(
        *(select(_T.lang, _T.key, _T.concept_id, _T.count).where(_T.lang == lang, among(lang)) for lang in ("zh", "en"))
    )


def _fuzzy_concepts(session: Session, term: str) -> dict[int, int]:
    """Concepts of the English names closest to ``term`` (a typo): concept id → similarity."""
    key = english_key(term)
    if has_cjk(term) or len(key) < 4:
        return {}
    found: dict[int, int] = {}
    for score, row in fuzzy_ranked(key, fuzzy_candidates(session, key)):
        found.setdefault(row.concept_id, int(score))
    return found


def lookup_terms(session: Session, terms: Sequence[str], *, fuzzy: bool = False) -> list[dict[str, Any]]:
    """For each term (in order), the concepts having a term with the same key: at most
    ``CONCEPTS_PER_TERM``, those whose matching term was seen most first, and how many there are.
    With ``fuzzy``, a term that matches nothing exactly gets the concepts of the closest English
    names instead (most similar first), and its answer says ``"fuzzy": true``."""
    wanted: dict[str, set[str]] = defaultdict(set)
    per_term = [_keys_for(t) for t in terms]
    for pairs in per_term:
        for lang, key in pairs:
            wanted[lang].add(key)
    # (lang, key) → {concept id: how often its matching term was seen}
    found: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    if wanted:
        connection = session.connection()
        dialect = connection.dialect.name
        values: dict[str, list[str] | str] = {lang: sorted(wanted.get(lang, ())) for lang in ("zh", "en")}
        if dialect == "sqlite":
            values = {lang: json.dumps(keys, ensure_ascii=False) for lang, keys in values.items()}
        for row in connection.execute(_batch_statement(dialect), values):
            seen = found[(row.lang, row.key)]
            seen[row.concept_id] = max(seen.get(row.concept_id, 0), row._mapping["count"] or 0)
    answers = []
    for term, pairs in zip(terms, per_term, strict=True):
        merged: dict[int, int] = {}
        for pair in pairs:
            for concept_id, count in found.get(pair, {}).items():
                merged[concept_id] = max(merged.get(concept_id, 0), count)
        typo = False
        if not merged and fuzzy:
            merged = _fuzzy_concepts(session, term)
            typo = bool(merged)
        best = sorted(merged, key=lambda cid: (-merged[cid], cid))
        answers.append((best[:CONCEPTS_PER_TERM], len(best), typo))
    documents = load_concept_documents(session, {cid for ids, _, _ in answers for cid in ids})
    results = []
    for term, (ids, total, typo) in zip(terms, answers, strict=True):
        answer: dict[str, Any] = {
            "term": term,
            "concepts": [documents[i] for i in ids if i in documents],
            "total": total,
        }
        if fuzzy:
            answer["fuzzy"] = typo
        results.append(answer)
    return results
