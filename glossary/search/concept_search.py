"""``search_concepts``: one ranked list of concepts for whatever the user typed.

How each query form reaches an index (see ``query.py`` for the keys):

==================  =====================================================  ==========
form                look-up                                                index
==================  =====================================================  ==========
Chinese exact/pre.  ``lang='zh' AND key`` in ``[q, q+U+10FFFF)``             ix_term_lang_key
English exact/pre.  ``lang='en' AND key`` in the same kind of range          ix_term_lang_key
abbreviation        ``kind='abbreviation' AND text = q`` (case-sensitive),   ix_term_kind_text,
                    then ``lang='en' AND key`` range on the folded key       ix_term_lang_key
pinyin              ``pinyin_key`` range (toneless, no spaces)             ix_term_pinyin_key
initials            ``pinyin_initials`` range                              ix_term_pinyin_initials
Chinese substring   ``str.find`` over the joined keys                      TermIndex (memory)
English word pre.   sorted vocabulary + posting lists                      TermIndex (memory)
fuzzy English       RapidFuzz Levenshtein over same-length words           TermIndex (memory)
==================  =====================================================  ==========

A prefix range is written ``key >= q AND key < q || U+10FFFF`` on SQLite, whose
text comparison is bytewise (UTF-8 order is code-point order), and ``key LIKE
'q%'`` on PostgreSQL, where a range under a linguistic collation is not a prefix
test. Each form reads at most ``FORM_LIMIT`` rows in key order, so a very broad
query (one or two letters) stays fast; ``total`` then counts what was read.

Ranking, best first: match kind (exact, prefix, word prefix, substring,
fuzzy), then how direct the form is (the abbreviation as written before its
case-folded key; a Chinese or English key before pinyin, pinyin before
initials), then the matched term's status (preferred, admitted, deprecated),
then how often the term was seen, then the shorter key. Fuzzy look-ups run
only when the strict forms found fewer than ``FUZZY_BELOW`` concepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from ..models import TERM_STATUSES, Concept, Term
from .documents import concepts_in_order
from .query import QueryKeys, parse_query
from .term_index import term_index

__all__ = ["FORM_LIMIT", "MATCH_KINDS", "Hit", "SearchPage", "prefix_condition", "search_concepts"]

MATCH_KINDS = ("exact", "prefix", "word_prefix", "substring", "fuzzy")
FORM_LIMIT = 1000
FUZZY_BELOW = 5
FUZZY_MIN_SCORE = 80.0
_STATUS_RANK = {s: i for i, s in enumerate(TERM_STATUSES)}
# How direct a form is, within one match kind (lower is better).
_FORM_RANK = {"abbr": 0, "zh": 0, "en": 0, "abbr_folded": 1, "pinyin": 2, "initials": 3}
_ROW_COLUMNS = (Term.id, Term.concept_id, Term.lang, Term.kind, Term.status, Term.count, Term.key)


@dataclass(frozen=True)
class Hit:
    """One concept in the results, with the term that matched and how."""

    concept: Concept
    match_kind: str
    matched_term: Any
    field: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    results: list[Hit]
    total: int


@dataclass(frozen=True)
class _Match:
    rank: tuple
    term_id: int
    concept_id: int
    kind: str
    field: str
    score: float


def prefix_condition(session: Session, column: Any, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as an index range scan on either database."""
    if session.get_bind().dialect.name == "sqlite":
        return and_(column >= prefix, column < prefix + "\U0010ffff")
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + "%", escape="\\")


def _match(row: Any, kind: str, field: str, score: float) -> _Match:
    rank = (MATCH_KINDS.index(kind), _FORM_RANK.get(field, 0), _STATUS_RANK.get(row.status, 9),
            -(row.count or 0), len(row.key or ""), -score)
    return _Match(rank, row.id, row.concept_id, kind, field, score)


def _range_rows(session: Session, column: Any, value: str, *extra: ColumnElement[bool]) -> Sequence[Any]:
    stmt = (select(*_ROW_COLUMNS).where(*extra, prefix_condition(session, column, value))
            .order_by(column).limit(FORM_LIMIT))
    return session.execute(stmt).all()


def _strict_matches(session: Session, keys: QueryKeys) -> list[_Match]:
    found: list[_Match] = []

    def ranged(field: str, value: str, *extra: ColumnElement[bool], keep=None) -> None:
        for row in _range_rows(session, Term.key, value, *extra):
            if keep is None or keep(row):
                exact = row.key == value
                found.append(_match(row, "exact" if exact else "prefix", field, 1.0 if exact else 0.9))

    if keys.zh:
        ranged("zh", keys.zh, Term.lang == "zh")
    if keys.en:
        ranged("en", keys.en, Term.lang == "en", keep=lambda r: r.kind != "abbreviation")
    if keys.abbr_text:
        stmt = select(*_ROW_COLUMNS).where(Term.kind == "abbreviation", Term.text == keys.abbr_text)
        found.extend(_match(r, "exact", "abbr", 1.0) for r in session.execute(stmt.limit(FORM_LIMIT)))
    for variant in keys.abbr_variants:
        ranged("abbr_folded", variant, Term.lang == "en",
               keep=lambda r: r.kind == "abbreviation")
    if keys.pinyin:
        found.extend(_pinyin_matches(session, "pinyin", Term.pinyin_key, keys.pinyin))
    if keys.initials:
        found.extend(_pinyin_matches(session, "initials", Term.pinyin_initials, keys.initials))
    return found


def _pinyin_matches(session: Session, field: str, column: Any, value: str) -> list[_Match]:
    stmt = (select(*_ROW_COLUMNS, column.label("stored")).where(prefix_condition(session, column, value))
            .order_by(column).limit(FORM_LIMIT))
    return [_match(r, "exact" if r.stored == value else "prefix", field, 1.0 if r.stored == value else 0.9)
            for r in session.execute(stmt)]


def _rows_by_id(session: Session, term_ids: Iterable[int]) -> list[Any]:
    ids = list(term_ids)[:FORM_LIMIT]
    if not ids:
        return []
    return list(session.execute(select(*_ROW_COLUMNS).where(Term.id.in_(ids))))


def _index_matches(session: Session, keys: QueryKeys, strict_concepts: int) -> list[_Match]:
    """Substring, word-prefix and fuzzy: candidates from memory, verified on the stored keys."""
    found: list[_Match] = []
    index = None
    if keys.zh:
        index = term_index(session)
        ids = index.zh_containing(keys.zh, FORM_LIMIT)
        found.extend(_match(r, "substring", "zh", 0.7) for r in _rows_by_id(session, ids)
                     if r.lang == "zh" and keys.zh in (r.key or ""))
    if keys.words:
        index = index or term_index(session)
        word_sets = [index.words_with_prefix(w) for w in keys.words]
        if all(word_sets):
            for row in _rows_by_id(session, index.terms_with_words(word_sets, FORM_LIMIT)):
                if row.lang == "en" and row.kind != "abbreviation" and _has_word_prefixes(row.key, keys.words):
                    found.append(_match(row, "word_prefix", "en", 0.8))
    if keys.en and len(keys.en) >= 4 and strict_concepts + len({m.concept_id for m in found}) < FUZZY_BELOW:
        index = index or term_index(session)
        found.extend(_fuzzy_matches(session, index, keys))
    return found


def _has_word_prefixes(key: str, words: Sequence[str]) -> bool:
    stored = (key or "").split(" ")
    return all(any(s.startswith(w) for s in stored) for w in words)


def _fuzzy_matches(session: Session, index: Any, keys: QueryKeys) -> list[_Match]:
    word_sets = []
    for word in keys.words:
        accepted = [word, *index.near_words(word)] if len(word) >= 4 else index.words_with_prefix(word, 50)
        word_sets.append(accepted)
    if not word_sets or not all(word_sets):
        return []
    found = []
    for row in _rows_by_id(session, index.terms_with_words(word_sets, FORM_LIMIT)):
        if row.lang != "en" or row.kind == "abbreviation":
            continue
        score = fuzz.ratio(keys.en, row.key or "")
        if score >= FUZZY_MIN_SCORE:
            found.append(_match(row, "fuzzy", "en", round(score / 100 * 0.6, 3)))
    return found


def _best_per_concept(matches: Iterable[_Match]) -> list[_Match]:
    best: dict[int, _Match] = {}
    for m in matches:
        current = best.get(m.concept_id)
        if current is None or m.rank < current.rank:
            best[m.concept_id] = m
    return sorted(best.values(), key=lambda m: (m.rank, m.concept_id))


def search_concepts(session: Session, query: str, *, lang: str | None = None, limit: int = 20,
                    offset: int = 0) -> SearchPage:
    """Concepts matching ``query`` in any script or form, best first, one page of them."""
    keys = parse_query(query, lang)
    if keys.is_empty:
        return SearchPage(results=[], total=0)
    strict = _strict_matches(session, keys)
    strict_concepts = len({m.concept_id for m in strict})
    ranked = _best_per_concept([*strict, *_index_matches(session, keys, strict_concepts)])
    page = ranked[offset:offset + limit]
    concepts = {c.id: c for c in concepts_in_order(session, [m.concept_id for m in page])}
    hits = []
    for m in page:
        concept = concepts.get(m.concept_id)
        if concept is None:
            continue
        term = next((t for t in concept.terms if t.id == m.term_id), None)
        field = "abbr" if m.field == "abbr_folded" else m.field
        hits.append(Hit(concept=concept, match_kind=m.kind, matched_term=term, field=field, score=m.score))
    return SearchPage(results=hits, total=len(ranked))
