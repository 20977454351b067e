"""Exact look-ups for machines: an abbreviation's expansions, and batches of terms.

Both read only indexed equality (``kind, text`` and ``lang, key``) and load the
concepts found as light rows (``ConceptRow``) with Core queries; the API shapes them.
A batch of terms is one statement for all its keys, whatever its size, in which
the database groups the matches by the rulebook's term groups and ranks them
(ten concepts a term come back, however many share a short abbreviation), then
one statement for the concepts kept. Typo matching is asked for with
``fuzzy``: only the terms that found nothing exactly go through it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, text
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
    ranked = _ranked_by_term(session, terms)
    answers = []
    for index, term in enumerate(terms):
        best, total = ranked.get(index, ([], 0))
        typo = False
        if not best and fuzzy:
            merged = _fuzzy_concepts(session, term)
            typo = bool(merged)
            best = sorted(merged, key=lambda cid: (-merged[cid], cid))
            best, total = best[:CONCEPTS_PER_TERM], len(best)
        answers.append((best, total, typo))
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


def _ranked_by_term(session: Session, terms: Sequence[str]) -> dict[int, tuple[list[int], int]]:
    """Term index → its ranked concepts and their number. A batch repeats itself (the same word in a
    document, a name and its traditional form): terms with the same keys are looked up once."""
    keys_of = {term: tuple(_keys_for(term)) for term in dict.fromkeys(terms)}
    distinct = list(dict.fromkeys(keys_of.values()))
    ranked = _ranked_matches(session, [list(keys) for keys in distinct])
    place = {keys: i for i, keys in enumerate(distinct)}
    by_term: dict[int, tuple[list[int], int]] = {}
    for index, term in enumerate(terms):
        found = ranked.get(place[keys_of[term]])
        if found is not None:
            by_term[index] = found
    return by_term


def _ranked_matches(session: Session, per_term: list[list[TermKey]]) -> dict[int, tuple[list[int], int]]:
    """Term index → (the ``CONCEPTS_PER_TERM`` concepts seen most under one of its keys, how many
    concepts there are): one statement for the whole batch, ranked by the database.

    A key shared by thousands of concepts (a short abbreviation in a large glossary) sends ten
    rows back, not thousands. A term's keys are (group, key) pairs as the rulebook groups them:
    ``zh`` and ``en`` names, ``abbr`` abbreviations in either language.
    """
    wanted = [
        (index, lang, key, group == "abbr")
        for index, pairs in enumerate(per_term)
        for group, key in pairs
        for lang in (("zh", "en") if group == "abbr" else (group,))
    ]
    if not wanted:
        return {}
    if session.get_bind().dialect.name == "sqlite":
        values: dict[str, Any] = {"wanted": json.dumps([[i, lang, key, int(abbr)] for i, lang, key, abbr in wanted])}
        statement = _RANKED_SQLITE
    else:
        columns = list(zip(*wanted, strict=True))
        values = {"idx": list(columns[0]), "lang": list(columns[1]), "key": list(columns[2]), "abbr": list(columns[3])}
        statement = _RANKED_POSTGRESQL
    ranked: dict[int, tuple[list[int], int]] = {}
    rows = session.execute(statement, {**values, "limit": CONCEPTS_PER_TERM})
    for index, concept_id, _seen, total in sorted(rows, key=lambda row: (row[0], -row[2], row[1])):
        ranked.setdefault(index, ([], total))[0].append(concept_id)
    return ranked


# Names match names and abbreviations match abbreviations, each half through an index on an equality
# (``lang, key`` for names, ``kind, key`` for abbreviations) rather than one join testing the kind of
# every term under a key: a common one-word name's thousands of terms are read once, not three times.
_RANKED = """
hit AS (
    SELECT idx, concept_id, max(seen) AS seen FROM (
        SELECT q.idx AS idx, t.concept_id AS concept_id, t.count AS seen
        FROM q JOIN term AS t ON t.lang = q.lang AND t.key = q.key AND t.kind <> 'abbreviation'
        WHERE NOT q.abbr
        UNION ALL
        SELECT q.idx, t.concept_id, t.count
        FROM q JOIN term AS t ON t.kind = 'abbreviation' AND t.key = q.key AND t.lang = q.lang
        WHERE q.abbr
    ) AS matched
    GROUP BY idx, concept_id
),
ranked AS (
    SELECT idx, concept_id, seen,
           row_number() OVER (PARTITION BY idx ORDER BY seen DESC, concept_id) AS place,
           count(*) OVER (PARTITION BY idx) AS total
    FROM hit
)
SELECT idx, concept_id, seen, total FROM ranked WHERE place <= :limit
"""
_RANKED_SQLITE = text(
    """
WITH q AS (
    SELECT json_extract(value, '$[0]') AS idx, json_extract(value, '$[1]') AS lang,
           json_extract(value, '$[2]') AS key, json_extract(value, '$[3]') AS abbr
    FROM json_each(:wanted)
),"""
    + _RANKED
)
_RANKED_POSTGRESQL = text(
    """
WITH q AS (
    SELECT * FROM unnest(CAST(:idx AS integer[]), CAST(:lang AS text[]), CAST(:key AS text[]),
                         CAST(:abbr AS boolean[])) AS q(idx, lang, key, abbr)
),"""
    + _RANKED
)
