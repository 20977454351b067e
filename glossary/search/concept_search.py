"""``search_concepts``: one ranked list of concepts for whatever the user typed.

How each query form reaches an index (the keys come from ``query.py``):

==================  ======================================================  ========================
form                look-up                                                 index
==================  ======================================================  ========================
Chinese exact/pre.  ``lang='zh' AND key`` in ``[q, q+U+10FFFF)`` (simplified)  ix_term_lang_key
traditional         ``zh_hant`` in the same kind of range, as typed         ix_term_zh_hant
English exact/pre.  ``lang='en' AND key`` range (case, hyphens folded)       ix_term_lang_key
abbreviation        ``kind='abbreviation' AND text = q`` (as written),        ix_term_kind_text,
                    then ``lang='en' AND key = k`` for the folded key and   ix_term_lang_key
                    its singular/plural (``SCFAs`` ↔ ``SCFA``)
pinyin              ``pinyin_key`` range (toneless, no spaces)              ix_term_pinyin_key
initials            ``pinyin_initials = q`` (exact: a prefix is noise)      ix_term_pinyin_initials
Chinese substring   bigram posting lists → ids, re-checked with ``LIKE``     TermIndex (memory), PK
English word pre.   vocabulary range → posting lists → ids, re-checked      TermIndex (memory), PK
fuzzy English       RapidFuzz over words of similar length → ids            TermIndex (memory), PK
==================  ======================================================  ========================

A prefix range is ``key >= q AND key < q || U+10FFFF`` on SQLite, whose text
comparison is bytewise (UTF-8 order is code-point order), and ``key LIKE 'q%'``
on PostgreSQL, where a range under a linguistic collation is not a prefix test.

All the forms of a query run as **one statement**, built once per database kind
with bind parameters: a ``UNION ALL`` of one index look-up per form (each
reading at most ``FORM_LIMIT`` rows, so a one-letter query stays fast and
``total`` is bounded), the candidate ids from the in-memory index checked again
on the stored key, and a window function keeping each concept's best match.
Ranking, best first, is one integer computed in SQL: match kind (exact,
prefix, word prefix, substring), how direct the form is (the abbreviation as
written before its folded key; a Chinese or English key before pinyin, pinyin
before initials), the matched term's status (preferred, admitted, deprecated),
how often the term was seen, then the shorter key. Fuzzy matching runs only
when nothing else matched (a typo rarely matches exactly), ranked by RapidFuzz
similarity. A search is thus two or three statements: the stamp of the
in-memory index, that one, and the page's concepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import BigInteger, ColumnElement, and_, bindparam, case, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from ..models import Term
from .documents import concepts_in_order
from .query import QueryKeys, parse_query
from .term_index import TermIndex, term_index

__all__ = ["FORM_LIMIT", "MATCH_KINDS", "Hit", "SearchPage", "search_concepts"]

MATCH_KINDS = ("exact", "prefix", "word_prefix", "substring", "fuzzy")
FORM_LIMIT = 100
FUZZY_MIN_SCORE = 80.0
_SCORES = {"exact": 1.0, "prefix": 0.9, "word_prefix": 0.8, "substring": 0.7}
# How direct a form is, within one match kind (lower is better), and the field it reports.
_FORMS = {"zh": (0, "zh"), "zh_hant": (0, "zh"), "en": (0, "en"), "abbr": (0, "abbr"), "abbr_folded": (1, "abbr"),
          "pinyin": (2, "pinyin"), "initials": (3, "initials"), "words": (0, "en"), "substring": (0, "zh")}
_T = Term.__table__.c
_TOP = "\U0010ffff"
# A key no term has: fills the statement's unused slots (an empty index range).
_NOTHING = _TOP * 2
_VERIFIED_WORDS = 6
# The rank packs (match kind, form, status, -count, key length) into one sortable integer.
_COUNT_CAP = 2**40 - 1
_LENGTH_CAP = 1023


@dataclass(frozen=True)
class Hit:
    """One concept in the results, with the term that matched and how."""

    concept: Any
    match_kind: str
    matched_term: Any
    field: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    results: list[Hit]
    total: int


@dataclass(frozen=True)
class _Ranked:
    concept_id: int
    term_id: int
    kind: str
    field: str
    score: float


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix_param(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """A prefix test that is an index range scan: bytewise range on SQLite, ``LIKE 'q%'`` elsewhere."""
    if dialect == "sqlite":
        return and_(column >= bindparam(f"{name}_lo"), column < bindparam(f"{name}_hi"))
    return column.like(bindparam(f"{name}_like"), escape="\\")


def _prefix_values(name: str, value: str) -> dict[str, str]:
    """Bind values for ``_prefix_param``: both spellings, so one dict fits either database."""
    return {f"{name}_lo": value, f"{name}_hi": value + _TOP, f"{name}_like": _like_escape(value) + "%"}


def _big(value: int) -> Any:
    return literal(value, BigInteger)


def _rank(tier: Any, form: str) -> Any:
    """The packed rank as a 64-bit integer (typed as such: PostgreSQL would overflow an int4)."""
    status = case((_T.status == "preferred", 0), (_T.status == "admitted", 1), else_=2)
    count = cast(func.coalesce(_T.count, 0), BigInteger)
    count = case((count > _big(_COUNT_CAP), _big(_COUNT_CAP)), else_=count)
    length = func.length(_T.key)
    length = case((length > _LENGTH_CAP, _LENGTH_CAP), else_=length)
    head = cast((tier * 4 + _FORMS[form][0]) * 3 + status, BigInteger)
    return (head * _big(_COUNT_CAP + 1) + (_big(_COUNT_CAP) - count)) * _big(_LENGTH_CAP + 1) + length


def _form(form: str, tier: Any, *where: ColumnElement[bool], order: Any) -> Any:
    inner = (select(_T.id.label("term_id"), _T.concept_id, literal(form).label("form"),
                    _rank(tier, form).label("rank"))
             .where(*where).order_by(order).limit(FORM_LIMIT).subquery())
    return select(inner)


def _ranged(form: str, column: Any, name: str, dialect: str, *where: ColumnElement[bool]) -> Any:
    """Exact (tier 0) or prefix (tier 1) matches of ``column`` on the value bound as ``name``."""
    tier = case((column == bindparam(f"{name}_lo"), 0), else_=1)
    return _form(form, tier, *where, _prefix_param(column, name, dialect), order=column)


def _best_per_concept(*forms: Any) -> Any:
    """Each concept once, with its best-ranked match, best first."""
    matches = union_all(*forms).subquery("matches")
    numbered = select(matches, func.row_number().over(
        partition_by=matches.c.concept_id, order_by=(matches.c.rank, matches.c.term_id)).label("n")
    ).subquery("numbered")
    return (select(numbered.c.concept_id, numbered.c.term_id, numbered.c.form, numbered.c.rank)
            .where(numbered.c.n == 1).order_by(numbered.c.rank, numbered.c.concept_id))


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict[str, Any]:
    """Statements built once per database kind and reused with new values (no per-query compiling)."""
    by_ids = {name: _T.id.in_(bindparam(name, expanding=True)) for name in ("substring_ids", "word_ids")}
    words_present = [(literal(" ") + _T.key).like(bindparam(f"w{i}_like"), escape="\\")
                     for i in range(_VERIFIED_WORDS)]
    latin = _best_per_concept(
        _ranged("en", _T.key, "en", dialect, _T.lang == "en", _T.kind != "abbreviation"),
        _form("abbr", literal(0), _T.kind == "abbreviation", _T.text == bindparam("abbr_text"), order=_T.id),
        _form("abbr_folded", literal(0), _T.lang == "en", _T.key == bindparam("a1"),
              _T.kind == "abbreviation", order=_T.id),
        _form("abbr_folded", literal(0), _T.lang == "en", _T.key == bindparam("a2"),
              _T.kind == "abbreviation", order=_T.id),
        _ranged("pinyin", _T.pinyin_key, "py", dialect),
        _form("initials", literal(0), _T.pinyin_initials == bindparam("ini"), order=_T.id),
        # Candidates from the in-memory index, checked again on the stored key.
        _form("words", literal(2), by_ids["word_ids"], _T.lang == "en", _T.kind != "abbreviation",
              *words_present, order=_T.id),
    )
    chinese = _best_per_concept(
        _ranged("zh", _T.key, "zh", dialect, _T.lang == "zh"),
        _ranged("zh_hant", _T.zh_hant, "hant", dialect),
        _form("substring", literal(3), by_ids["substring_ids"], _T.lang == "zh",
              _T.key.like(bindparam("substring_like"), escape="\\"), order=_T.id),
    )
    by_id = select(_T.id, _T.concept_id, _T.lang, _T.kind, _T.status, _T.count, _T.key).where(
        _T.id.in_(bindparam("ids", expanding=True)))
    return {"latin": latin, "chinese": chinese, "by_id": by_id}


def _word_values(keys: QueryKeys, index: TermIndex) -> dict[str, Any]:
    words = list(keys.words)
    word_sets = [index.words_with_prefix(w) for w in words]
    ids = sorted(index.terms_with_words(word_sets, FORM_LIMIT)) if words and all(word_sets) else []
    values: dict[str, Any] = {"word_ids": ids}
    for i in range(_VERIFIED_WORDS):
        values[f"w{i}_like"] = f"% {words[i]}%" if i < len(words) else "%"
    return values


def _ranked_matches(session: Session, keys: QueryKeys) -> list[_Ranked]:
    """Every matching concept once, best first: one statement for all the exact, prefix, word-prefix
    and substring forms (the last two fed with candidates from the in-memory index)."""
    connection = session.connection()
    statements = _statements(connection.dialect.name)
    if keys.zh:
        index = term_index(session)
        values = {**_prefix_values("zh", keys.zh), **_prefix_values("hant", keys.text),
                  "substring_ids": list(index.zh_containing(keys.zh, FORM_LIMIT)),
                  "substring_like": f"%{_like_escape(keys.zh)}%"}
        rows = connection.execute(statements["chinese"], values)
    else:
        variants = [*keys.abbr_variants, _NOTHING, _NOTHING]
        values = {"abbr_text": keys.abbr_text or _NOTHING, "a1": variants[0], "a2": variants[1],
                  "ini": keys.initials or _NOTHING, **_prefix_values("en", keys.en or _NOTHING),
                  **_prefix_values("py", keys.pinyin or _NOTHING)}
        values.update(_word_values(keys, term_index(session)) if keys.words else
                      {"word_ids": [], **{f"w{i}_like": "%" for i in range(_VERIFIED_WORDS)}})
        rows = connection.execute(statements["latin"], values)
    ranked = []
    for concept_id, term_id, form, rank in rows:
        kind = MATCH_KINDS[rank // ((_COUNT_CAP + 1) * (_LENGTH_CAP + 1)) // 12]
        ranked.append(_Ranked(concept_id, term_id, kind, _FORMS[form][1], _SCORES[kind]))
    return ranked


def _fuzzy_matches(session: Session, keys: QueryKeys) -> list[_Ranked]:
    """English with a typo: near words from the index, then RapidFuzz on the whole key."""
    index = term_index(session)
    word_sets = []
    for word in keys.words:
        if index.has_word(word):  # a typo is usually in one word: keep the others as they are
            word_sets.append([word])
        elif len(word) >= 4:
            word_sets.append(index.near_words(word))
        else:
            word_sets.append(index.words_with_prefix(word, 50))
    if not word_sets or not all(word_sets):
        return []
    ids = sorted(index.terms_with_words(word_sets, FORM_LIMIT))
    connection = session.connection()
    rows = connection.execute(_statements(connection.dialect.name)["by_id"], {"ids": ids}) if ids else []
    scored = []
    for row in rows:
        if row.lang != "en" or row.kind == "abbreviation":
            continue
        score = fuzz.ratio(keys.en, row.key or "")
        if score >= FUZZY_MIN_SCORE:
            scored.append((-score, row.status != "preferred", -(row.count or 0), row.concept_id, row.id))
    ranked, seen = [], set()
    for negative_score, _, _, concept_id, term_id in sorted(scored):
        if concept_id not in seen:
            seen.add(concept_id)
            ranked.append(_Ranked(concept_id, term_id, "fuzzy", "en", round(-negative_score / 100 * 0.6, 3)))
    return ranked


def search_concepts(session: Session, query: str, *, lang: str | None = None, limit: int = 20,
                    offset: int = 0) -> SearchPage:
    """Concepts matching ``query`` in any script or form, best first, one page of them."""
    keys = parse_query(query, lang)
    if keys.is_empty:
        return SearchPage(results=[], total=0)
    ranked = _ranked_matches(session, keys)
    if not ranked and keys.en and len(keys.en) >= 4:
        ranked = _fuzzy_matches(session, keys)
    page = ranked[offset:offset + limit]
    concepts = {c.id: c for c in concepts_in_order(session, [m.concept_id for m in page])}
    hits = []
    for m in page:
        concept = concepts.get(m.concept_id)
        if concept is not None:
            term = next((t for t in concept.terms if t.id == m.term_id), None)
            hits.append(Hit(concept=concept, match_kind=m.kind, matched_term=term, field=m.field, score=m.score))
    return SearchPage(results=hits, total=len(ranked))


