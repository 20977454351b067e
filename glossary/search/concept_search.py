"""``search_concepts``: one ranked list of concepts for whatever the user typed.

How each query form reaches an index (see ``query.py`` for the keys):

==================  =====================================================  ==========
form                look-up                                                index
==================  =====================================================  ==========
Chinese exact/pre.  ``lang='zh' AND key`` in ``[q, q+U+10FFFF)``             ix_term_lang_key
English exact/pre.  ``lang='en' AND key`` in the same kind of range          ix_term_lang_key
abbreviation        ``kind='abbreviation' AND text = q`` (case-sensitive),   ix_term_kind_text,
                    then ``lang='en' AND key = k`` for the folded key and    ix_term_lang_key
                    its singular/plural
pinyin              ``pinyin_key`` range (toneless, no spaces)             ix_term_pinyin_key
initials            ``pinyin_initials = q`` (exact: a prefix of initials   ix_term_pinyin_initials
                    is noise)
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
only when no other form found anything (a typo rarely matches exactly).

All the exact and prefix forms of a Latin query go to the database as one
``UNION ALL`` statement, built once per database kind with bind parameters and
run on the session's connection (no ORM layer), so a search costs three or four
statements: that one, at most one or two by id for the in-memory candidates,
and the page's concepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, and_, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from ..models import TERM_STATUSES, Concept, Term
from .documents import concepts_in_order
from .query import QueryKeys, parse_query
from .term_index import term_index

__all__ = ["FORM_LIMIT", "MATCH_KINDS", "Hit", "SearchPage", "prefix_condition", "search_concepts"]

MATCH_KINDS = ("exact", "prefix", "word_prefix", "substring", "fuzzy")
FORM_LIMIT = 200
FUZZY_MIN_SCORE = 80.0
_STATUS_RANK = {s: i for i, s in enumerate(TERM_STATUSES)}
# How direct a form is, within one match kind (lower is better).
_FORM_RANK = {"abbr": 0, "zh": 0, "en": 0, "abbr_folded": 1, "pinyin": 2, "initials": 3}
_TERMS = Term.__table__
_ROW_COLUMNS = tuple(_TERMS.c[name] for name in ("id", "concept_id", "lang", "kind", "status", "count", "key"))
_TOP = "\U0010ffff"
# A key no term has: fills the statement's unused slots (an empty index range).
_NOTHING = _TOP * 2


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
        return and_(column >= prefix, column < prefix + _TOP)
    return column.like(_like_pattern(prefix), escape="\\")


def _like_pattern(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix_param(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        return and_(column >= bindparam(f"{name}_lo"), column < bindparam(f"{name}_hi"))
    return column.like(bindparam(f"{name}_like"), escape="\\")


def _prefix_values(name: str, value: str) -> dict[str, str]:
    """Bind values for ``_prefix_param``: both spellings, so one dict fits either database."""
    return {f"{name}_lo": value, f"{name}_hi": value + _TOP, f"{name}_like": _like_pattern(value)}


def _form(field: str, matched: Any, *where: ColumnElement[bool], order: Any) -> Any:
    inner = (select(literal(field).label("field"), *_ROW_COLUMNS, matched.label("stored"))
             .where(*where).order_by(order).limit(FORM_LIMIT).subquery())
    return select(inner)


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict[str, Any]:
    """Statements built once per database kind and reused with new values (no per-query compiling)."""
    t = _TERMS.c
    latin = union_all(
        _form("en", t.key, t.lang == "en", _prefix_param(t.key, "en", dialect), order=t.key),
        _form("abbr", t.text, t.kind == "abbreviation", t.text == bindparam("abbr_text"), order=t.id),
        _form("abbr_folded", t.key, t.lang == "en", t.key == bindparam("a1"), order=t.id),
        _form("abbr_folded", t.key, t.lang == "en", t.key == bindparam("a2"), order=t.id),
        _form("pinyin", t.pinyin_key, _prefix_param(t.pinyin_key, "py", dialect), order=t.pinyin_key),
        _form("initials", t.pinyin_initials, t.pinyin_initials == bindparam("ini"), order=t.id),
    )
    chinese = _form("zh", t.key, t.lang == "zh", _prefix_param(t.key, "zh", dialect), order=t.key)
    by_id = select(literal("").label("field"), *_ROW_COLUMNS, t.key.label("stored")).where(
        t.id.in_(bindparam("ids", expanding=True)))
    return {"latin": latin, "chinese": chinese, "by_id": by_id}


def _match(row: Any, kind: str, field: str, score: float) -> _Match:
    rank = (MATCH_KINDS.index(kind), _FORM_RANK.get(field, 0), _STATUS_RANK.get(row.status, 9),
            -(row.count or 0), len(row.key or ""), -score)
    return _Match(rank, row.id, row.concept_id, kind, field, score)


def _strict_matches(session: Session, keys: QueryKeys) -> list[_Match]:
    """Exact and prefix matches of every applicable form, in one statement."""
    connection = session.connection()
    statements = _statements(connection.dialect.name)
    if keys.zh:
        rows = connection.execute(statements["chinese"], _prefix_values("zh", keys.zh))
    else:
        variants = [*keys.abbr_variants, _NOTHING, _NOTHING]
        values = {"abbr_text": keys.abbr_text or _NOTHING, "a1": variants[0], "a2": variants[1],
                  "ini": keys.initials or _NOTHING}
        for name, value in (("en", keys.en), ("py", keys.pinyin)):
            values.update(_prefix_values(name, value or _NOTHING))
        rows = connection.execute(statements["latin"], values)
    found = []
    for row in rows:
        if row.field == "en" and row.kind == "abbreviation":
            continue
        if row.field == "abbr_folded" and row.kind != "abbreviation":
            continue
        exact = row.stored in _exact_values(keys, row.field)
        found.append(_match(row, "exact" if exact else "prefix", row.field, 1.0 if exact else 0.9))
    return found


def _exact_values(keys: QueryKeys, field: str) -> tuple[str, ...]:
    """What a stored value must equal for an exact match (an abbreviation's plural counts)."""
    if field == "abbr_folded":
        return keys.abbr_variants
    return ({"zh": keys.zh, "en": keys.en, "abbr": keys.abbr_text, "pinyin": keys.pinyin,
             "initials": keys.initials}[field],)


def _rows_by_id(session: Session, term_ids: Iterable[int]) -> list[Any]:
    ids = list(term_ids)[:FORM_LIMIT]
    if not ids:
        return []
    connection = session.connection()
    return list(connection.execute(_statements(connection.dialect.name)["by_id"], {"ids": ids}))


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
    if keys.en and len(keys.en) >= 4 and not strict_concepts and not found:
        index = index or term_index(session)
        found.extend(_fuzzy_matches(session, index, keys))
    return found


def _has_word_prefixes(key: str, words: Sequence[str]) -> bool:
    stored = (key or "").split(" ")
    return all(any(s.startswith(w) for s in stored) for w in words)


def _fuzzy_matches(session: Session, index: Any, keys: QueryKeys) -> list[_Match]:
    word_sets = []
    for word in keys.words:
        if index.has_word(word):  # a typo is usually in one word: keep the others as they are
            accepted = [word]
        elif len(word) >= 4:
            accepted = index.near_words(word)
        else:
            accepted = index.words_with_prefix(word, 50)
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
