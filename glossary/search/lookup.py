"""Exact look-ups for machines: an abbreviation's expansions, and batches of terms.

Both read only indexed equality (``kind, text`` and ``lang, key``) and load the
concepts found as light rows (``ConceptRow``) with Core queries; the API shapes them.
A batch of terms is one statement for all its keys (the rulebook's
``concepts_sharing``), whatever its size, then the concepts found (one
statement per 5,000 concepts). Typo matching
is asked for with ``fuzzy``: only the terms that found nothing exactly go through it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Term
from ..models.rules import TermKey, concepts_sharing
from ..text import abbr_key, english_key, fold_common, has_cjk, zh_key
from .concept_search import fuzzy_candidates, fuzzy_ranked
from .documents import load_concept_rows, read_concept

__all__ = ["CONCEPTS_PER_TERM", "MAX_LOOKUP_TERMS", "expand_abbreviation", "lookup_terms"]

MAX_LOOKUP_TERMS = 5000
# An ambiguous abbreviation can stand for hundreds of concepts: a batch answer names the most seen.
CONCEPTS_PER_TERM = 10


def expand_abbreviation(session: Session, abbr: str) -> dict[str, Any]:
    """Every concept an abbreviation stands for: as written first, else case-insensitively.

    Each of ``results`` holds the expansion's full names (``en``, ``zh``), how often the
    abbreviation was seen for it (``count``) and the concept (a ``ConceptRow``).
    Raises ``NotFound`` when the glossary does not know it.
    """
    written = fold_common(abbr)
    rows = session.execute(
        select(Term.concept_id, Term.text, Term.count).where(Term.kind == "abbreviation", Term.text == written)
    ).all()
    case_sensitive = bool(rows)
    seen: dict[int, int] = defaultdict(int)
    for row in rows:
        seen[row.concept_id] += row._mapping["count"] or 0  # not Row.count: the stubs see the tuple method there
    if not rows and abbr_key(written):
        for concept_id, terms in concepts_sharing(session, {("abbr", abbr_key(written))}).items():
            seen[concept_id] += sum(term.seen_count for term in terms)
    if not seen:
        raise NotFound(f"The glossary has no abbreviation {written!r}.")
    concepts = load_concept_rows(session, seen)
    expansions = []
    for concept_id, count in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
        concept = concepts[concept_id]
        full = [t for t in read_concept(concept).terms if t.kind != "abbreviation"]
        expansions.append(
            {
                "en": [t.text for t in full if t.lang == "en"],
                "zh": [t.text for t in full if t.lang == "zh"],
                "count": count,
                "concept": concept,
            }
        )
    return {"abbreviation": written, "case_sensitive": case_sensitive, "results": expansions, "total": len(expansions)}


def _keys_for(term: str) -> list[TermKey]:
    """(group, key) pairs a looked-up term may equal: a stored term of any kind with its key.

    Chinese: its Chinese key; otherwise its English key and its abbreviation key, each as a
    name and as an abbreviation (``NF-kB`` finds the English name ``NFKB`` and the abbreviation).
    """
    keys = [zh_key(term)] if has_cjk(term) else [english_key(term), abbr_key(term)]
    lang = "zh" if has_cjk(term) else "en"
    return list(dict.fromkeys((group, key) for key in keys if key for group in (lang, "abbr")))


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
    names instead (most similar first), and its answer says ``"fuzzy": true``.
    The concepts are ``ConceptRow``s."""
    per_term = [_keys_for(t) for t in terms]
    # (group, key) → {concept id: how often its matching term was seen}
    found: dict[TermKey, dict[int, int]] = defaultdict(dict)
    for concept_id, shared in concepts_sharing(session, {pair for pairs in per_term for pair in pairs}).items():
        for hit in shared:
            seen = found[hit.group_key]
            seen[concept_id] = max(seen.get(concept_id, 0), hit.seen_count)
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
    concepts = load_concept_rows(session, {cid for ids, _, _ in answers for cid in ids})
    results = []
    for term, (ids, total, typo) in zip(terms, answers, strict=True):
        answer: dict[str, Any] = {
            "term": term,
            "concepts": [concepts[i] for i in ids if i in concepts],
            "total": total,
        }
        if fuzzy:
            answer["fuzzy"] = typo
        results.append(answer)
    return results
