"""Exact look-ups for machines: an abbreviation's expansions, and batches of terms.

Both read only indexed equality (``kind, text`` and ``lang, key``) in chunks
and build the concept documents with Core queries, so a batch of thousands of
terms costs a few dozen queries, not thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Term
from ..textkeys import abbr_key, english_key, fold_common, has_cjk, zh_key
from .documents import load_concept_documents

__all__ = ["CONCEPTS_PER_TERM", "MAX_LOOKUP_TERMS", "expand_abbreviation", "lookup_terms"]

MAX_LOOKUP_TERMS = 5000
# An ambiguous abbreviation can stand for hundreds of concepts: a batch answer names the most seen.
CONCEPTS_PER_TERM = 10
_CHUNK = 500


def expand_abbreviation(session: Session, abbr: str) -> dict[str, Any]:
    """Every concept an abbreviation stands for: as written first, else case-insensitively.

    Raises ``NotFound`` when the glossary does not know it.
    """
    written = fold_common(abbr)
    rows = session.execute(select(Term.concept_id, Term.text, Term.count).where(
        Term.kind == "abbreviation", Term.text == written)).all()
    case_sensitive = bool(rows)
    if not rows and abbr_key(written):
        rows = session.execute(select(Term.concept_id, Term.text, Term.count).where(
            Term.lang == "en", Term.key == abbr_key(written), Term.kind == "abbreviation")).all()
    if not rows:
        raise NotFound(f"The glossary has no abbreviation {written!r}.")
    seen: dict[int, int] = defaultdict(int)
    for row in rows:
        seen[row.concept_id] += row.count or 0
    documents = load_concept_documents(session, seen)
    expansions = []
    for concept_id, count in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
        document = documents[concept_id]
        full = [t for t in document["terms"] if t["kind"] != "abbreviation"]
        expansions.append({
            "en": [t["text"] for t in full if t["lang"] == "en"],
            "zh": [t["text"] for t in full if t["lang"] == "zh"],
            "count": count,
            "concept": document,
        })
    return {"abbreviation": written, "case_sensitive": case_sensitive, "results": expansions,
            "total": len(expansions)}


def _keys_for(term: str) -> list[tuple[str, str]]:
    """(lang, key) pairs a looked-up term may equal: Chinese, or English and abbreviation."""
    if has_cjk(term):
        return [("zh", zh_key(term))]
    return [(lang, key) for lang, key in (("en", english_key(term)), ("en", abbr_key(term))) if key]


def lookup_terms(session: Session, terms: Sequence[str]) -> list[dict[str, Any]]:
    """For each term (in order), the concepts having a term with the same key: at most
    ``CONCEPTS_PER_TERM``, those whose matching term was seen most first, and how many there are."""
    wanted: dict[str, set[str]] = defaultdict(set)
    per_term = [_keys_for(t) for t in terms]
    for pairs in per_term:
        for lang, key in pairs:
            wanted[lang].add(key)
    # (lang, key) → {concept id: how often its matching term was seen}
    found: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for lang, keys in wanted.items():
        ordered = sorted(keys)
        for i in range(0, len(ordered), _CHUNK):
            stmt = (select(Term.lang, Term.key, Term.concept_id, Term.count)
                    .where(Term.lang == lang, Term.key.in_(ordered[i:i + _CHUNK])))
            for row in session.execute(stmt):
                seen = found[(row.lang, row.key)]
                seen[row.concept_id] = max(seen.get(row.concept_id, 0), row.count or 0)
    answers = []
    for pairs in per_term:
        merged: dict[int, int] = {}
        for pair in pairs:
            for concept_id, count in found.get(pair, {}).items():
                merged[concept_id] = max(merged.get(concept_id, 0), count)
        best = sorted(merged, key=lambda cid: (-merged[cid], cid))
        answers.append((best[:CONCEPTS_PER_TERM], len(best)))
    documents = load_concept_documents(session, {cid for ids, _ in answers for cid in ids})
    return [{"term": term, "concepts": [documents[i] for i in ids if i in documents], "total": total}
            for term, (ids, total) in zip(terms, answers, strict=True)]
