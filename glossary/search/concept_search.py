"""``search_concepts``: one ranked list of concepts for whatever the user typed.

How each query form reaches an index (the keys come from ``query.py``; the
database's search structures from ``models/search_index.py``):

==================  =====================================================  ==============================
form                look-up                                                index (SQLite / PostgreSQL)
==================  =====================================================  ==============================
Chinese exact/pre.  ``lang='zh' AND key`` from ``q`` (simplified)           ix_term_lang_key / ..._pattern
… without dashes    the compact key (no ``-`` ``·``): 肠脑轴 = 肠-脑轴       ix_term_lang_compact_key(_pattern)
traditional         ``zh_hant`` from ``q``, as typed                       ix_term_zh_hant / ..._pattern
English exact/pre.  ``lang='en' AND key`` from ``q`` (case, hyphens folded) ix_term_lang_key / ..._pattern
Greek spelled out   the key with α ⇄ alpha (``interleukin 1 beta``)         ix_term_lang_key
abbreviation        ``kind='abbreviation' AND text = q`` (as written),      ix_term_kind_text,
                    then the folded key, its plural and Greek variants,    ix_term_lang_key
                    then folded-key prefixes (``TNF`` → TNF-α)
pinyin              ``pinyin_key`` from ``q`` (toneless, no spaces)         ix_term_pinyin_key / ..._pattern
initials            ``pinyin_initials = q`` (exact: a prefix is noise)     ix_term_pinyin_initials
Chinese substring   trigram phrase (short: via the trigram vocabulary)    FTS5 term_trigram / GIN pg_trgm
English word pre.   ``"fatty" AND "ac"*``; ``'fatty' & 'ac':*``           FTS5 term_words / GIN tsvector
fuzzy English       terms holding an intact piece of ``q``, then RapidFuzz  FTS5 term_trigram / GIN pg_trgm
==================  =====================================================  ==============================

A prefix range is ``key >= q AND key < q || U+10FFFF`` on SQLite, whose text
comparison is bytewise (UTF-8 order is code-point order), and the same range
with the bytewise operators ``~>=~`` and ``~<~`` on PostgreSQL, read in that
order from ``text_pattern_ops`` indexes under any collation. (Not ``LIKE 'q%'``:
a statement prepared once has no pattern to turn into a range.)

All the forms of a query run as **one statement**, built once per database kind
with bind parameters: a ``UNION ALL`` of one index look-up per form (each
reading at most ``FORM_LIMIT`` rows, so a one-letter query stays fast and
``total`` is bounded), a window function keeping each concept's best match,
and around them the page: its concepts' fields and all their terms, with the
total, so a search page is that one statement (plus, on the first page, one for
the terms inside the query, ``in_query.py``) and no ORM object is loaded. Both run
on the driver's cursor, compiled once (``prepared.py``): SQLAlchemy's execution
path cost as much as the statement.
Ranking, best first, is one integer computed in SQL: match kind (exact,
prefix, word prefix, substring), how direct the form is (the abbreviation as
written before its folded key; a Chinese or English key before pinyin, pinyin
before initials), the matched term's status (preferred, admitted, deprecated),
how often the term was seen, then the shorter key. Fuzzy matching runs only
when nothing else matched (a typo rarely matches exactly): one statement for
the candidates, ranked by RapidFuzz similarity. Everything the database
answers is current in the caller's transaction: there is no index of our own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import (
    BigInteger,
    ColumnClause,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from ..models import Concept, Term
from ..models.arrays import among, array_value
from ..models.search_index import WORDS_SQL, compact_sql
from .documents import TERM_COLUMNS, ConceptRow, TermRow, load_concept_rows
from .prepared import Prepared, prepare, run
from .query import QueryKeys, parse_query

__all__ = ["FORM_LIMIT", "MATCH_KINDS", "Hit", "SearchPage", "fuzzy_candidates", "search_concepts"]

MATCH_KINDS = ("exact", "prefix", "word_prefix", "substring", "fuzzy")
FORM_LIMIT = 100
FUZZY_MIN_SCORE = 80.0
# Typo candidates read per intact piece of the query (RapidFuzz ranks them: a few thousand cost ~1 ms).
FUZZY_PIECE_LIMIT = 300
FUZZY_MAX_PIECES = 4
_SCORES = {"exact": 1.0, "prefix": 0.9, "word_prefix": 0.8, "substring": 0.7}
# How direct a form is, within one match kind (lower is better), and the field it reports.
_FORMS = {
    "zh": (0, "zh"),
    "zh_hant": (0, "zh"),
    "en": (0, "en"),
    "abbr": (0, "abbr"),
    "abbr_folded": (1, "abbr"),
    "pinyin": (2, "pinyin"),
    "initials": (3, "initials"),
    "words": (0, "en"),
    "substring": (0, "zh"),
}
_T = Term.__table__.c
# The key without hyphens and middle dots, spelled as the expression indexes spell it (so they serve it).
_COMPACT: ColumnClause[str] = literal_column(compact_sql("term.key"))
_TOP = "\U0010ffff"
# A key no term has: fills the statement's unused slots (an empty index range).
_NOTHING = _TOP * 2
_MAX_WORDS = 6
# Trigrams of the vocabulary tried for a one- or two-character Chinese substring.
_SHORT_TRIGRAMS = {1: 64, 2: 256}
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
    # Glossary terms found inside the query itself (催产素 in 催产素受体), for "in your query: …".
    in_query: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Ranked:
    concept_id: int
    term_id: int
    kind: str
    field: str
    score: float


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(value: str) -> str:
    """An FTS5 phrase: the text between double quotes, its own quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def _prefix_param(col: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """A prefix test that is an index range scan: a bytewise range (SQLite compares text so; on
    PostgreSQL the ``text_pattern_ops`` operators do, which those indexes serve)."""
    low: Any = bindparam(f"{name}_lo")
    high: Any = bindparam(f"{name}_hi")
    if dialect == "sqlite":
        return and_(col >= low, col < high)
    return and_(col.op("~>=~", is_comparison=True)(low), col.op("~<~", is_comparison=True)(high))


def _prefix_values(name: str, value: str) -> dict[str, str]:
    """Bind values for ``_prefix_param``."""
    return {f"{name}_lo": value, f"{name}_hi": value + _TOP}


def _index_order(col: Any, dialect: str) -> Any:
    """Rows of a prefix range in the order of its index: bytewise (``USING ~<~`` on PostgreSQL, where
    ``ORDER BY col`` would follow the collation, which a ``text_pattern_ops`` index does not hold)."""
    if dialect == "sqlite":
        return col
    return UnaryExpression(col, modifier=custom_op("USING ~<~"))


def _big(value: int) -> Any:
    return literal(value, BigInteger)


def _rank(tier: Any, form: str) -> Any:
    """The packed rank as a 64-bit integer (typed as such: PostgreSQL would overflow an int4)."""
    status = case((_T.status == "preferred", 0), (_T.status == "admitted", 1), else_=2)
    count: ColumnElement[int] = cast(func.coalesce(_T.count, 0), BigInteger)
    count = case((count > _big(_COUNT_CAP), _big(_COUNT_CAP)), else_=count)
    length: ColumnElement[int] = func.length(_T.key)
    length = case((length > _LENGTH_CAP, _LENGTH_CAP), else_=length)
    head = cast((tier * 4 + _FORMS[form][0]) * 3 + status, BigInteger)
    return (head * _big(_COUNT_CAP + 1) + (_big(_COUNT_CAP) - count)) * _big(_LENGTH_CAP + 1) + length


def _form(form: str, tier: Any, *where: ColumnElement[bool], order: Any = None) -> Any:
    """At most ``FORM_LIMIT`` matches of one form, the first ones in ``order`` if given. (PostgreSQL's
    look-ups of equal values and of trigrams go without: an ``ORDER BY id`` there can make a plan made
    for any values walk the primary key instead of the index that finds the rows.)"""
    inner = (
        select(_T.id.label("term_id"), _T.concept_id, literal(form).label("form"), _rank(tier, form).label("rank"))
        .where(*where)
        .order_by(order)
        .limit(FORM_LIMIT)
        .subquery()
    )
    return select(inner)


def _ranged(form: str, col: Any, name: str, dialect: str, *where: ColumnElement[bool]) -> Any:
    """Exact (tier 0) or prefix (tier 1) matches of ``col`` on the value bound as ``name``."""
    tier = case((col == bindparam(f"{name}_lo"), 0), else_=1)
    return _form(form, tier, *where, _prefix_param(col, name, dialect), order=_index_order(col, dialect))


def _best_per_concept(*forms: Any) -> Any:
    """Each concept once, with its best-ranked match, best first."""
    matches = union_all(*forms).subquery("matches")
    numbered = select(
        matches,
        func.row_number()
        .over(partition_by=matches.c.concept_id, order_by=(matches.c.rank, matches.c.term_id))
        .label("n"),
    ).subquery("numbered")
    return (
        select(numbered.c.concept_id, numbered.c.term_id, numbered.c.form, numbered.c.rank)
        .where(numbered.c.n == 1)
        .order_by(numbered.c.rank, numbered.c.concept_id)
    )


def _fts_ids(table: str, match: str, limit: int) -> Any:
    """Term ids from an FTS5 table (its rowid is the term id)."""
    return text(f"SELECT rowid FROM {table} WHERE {table} MATCH {match} LIMIT {limit}").columns(
        column("rowid", Integer)
    )


# A Chinese substring: a phrase of trigrams; one or two characters (no trigram of their own) are the
# prefix of trigrams in the vocabulary (the stored keys end in two padding characters for this).
_ZH_MATCH = (
    "coalesce((SELECT group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ') FROM "
    "(SELECT term FROM term_trigram_vocab WHERE term >= :vocab_lo AND term < :vocab_hi "
    "LIMIT :vocab_limit)), :zh_phrase)"
)


def _word_prefixes(dialect: str) -> list[ColumnElement[bool]]:
    """Every word typed starts a word of the key: an FTS5 query on SQLite, a ``tsquery`` against the
    index of the key's words on PostgreSQL (``'fatty' & 'ac':*``); both one index look-up."""
    if dialect == "sqlite":
        return [_T.id.in_(_fts_ids("term_words", ":words_query", FORM_LIMIT))]
    simple: Any = literal_column("'simple'::regconfig")
    return [literal_column(WORDS_SQL).op("@@", is_comparison=True)(func.to_tsquery(simple, bindparam("words_query")))]


@lru_cache(maxsize=8)
def _statements(dialect: str, words: bool) -> dict[str, Any]:
    """Statements built once per database kind and reused with new values (no per-query compiling)."""
    en_full = (_T.lang == "en", _T.kind != "abbreviation")
    abbreviation = (_T.lang == "en", _T.kind == "abbreviation")
    by_id = _T.id if dialect == "sqlite" else None
    latin_forms = [
        _ranged("en", _T.key, "en", dialect, *en_full),
        _form("en", literal(0), *en_full, among(_T.key, "en_variants", dialect), order=by_id),
        _form("abbr", literal(0), _T.kind == "abbreviation", _T.text == bindparam("abbr_text"), order=by_id),
        _form("abbr_folded", literal(0), *abbreviation, among(_T.key, "abbr_keys", dialect), order=by_id),
        # By kind and key (ix_term_kind_key): not a walk through every English name with that prefix.
        _ranged("abbr_folded", _T.key, "ap", dialect, _T.kind == "abbreviation"),
        _ranged("pinyin", _T.pinyin_key, "py", dialect),
        _form("initials", literal(0), _T.pinyin_initials == bindparam("ini"), order=by_id),
    ]
    if words:
        latin_forms.append(_form("words", literal(2), *en_full, *_word_prefixes(dialect), order=by_id))
    if dialect == "sqlite":
        # The trigram table holds English keys too (typo candidates).
        containing = [_T.lang == "zh", _T.id.in_(_fts_ids("term_trigram", _ZH_MATCH, FORM_LIMIT))]
    else:
        # Only Chinese keys hold Chinese characters, so no language test: one would let a plan made for
        # any values read every Chinese term through the (lang, …) index instead of the trigram index.
        containing = [_COMPACT.like(bindparam("substring_like"), escape="\\")]
    chinese = _best_per_concept(
        _ranged("zh", _T.key, "zh", dialect, _T.lang == "zh"),
        _ranged("zh", _COMPACT, "zc", dialect, _T.lang == "zh"),
        _ranged("zh_hant", _T.zh_hant, "hant", dialect),
        _form("substring", literal(3), *containing, order=by_id),
    )
    return {"latin": _paged(_best_per_concept(*latin_forms)), "chinese": _paged(chinese)}


_C = Concept.__table__.c


def _paged(best: Any) -> Any:
    """One page of the ranked concepts with the total, each concept's fields and all its terms: the
    one statement a search page needs (no ORM objects)."""
    ranked = best.subquery("ranked")
    page = (
        select(ranked, func.count().over().label("total"))
        .order_by(ranked.c.rank, ranked.c.concept_id)
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
        .subquery("page")
    )
    return (
        select(
            page.c.term_id.label("matched_id"),
            page.c.form,
            page.c.rank,
            page.c.total,
            _C.domain,
            _C.definition,
            _C.version,
            *TERM_COLUMNS,  # a row: the match (4 columns), the concept's fields (3), then a TermRow
        )
        .join(Term.__table__, _T.concept_id == page.c.concept_id)
        .join(Concept.__table__, _C.id == page.c.concept_id)
        .order_by(page.c.rank, page.c.concept_id, _T.id)
    ), best


@lru_cache(maxsize=8)
def _prepared(dialect: Dialect, words: bool) -> dict[str, tuple[Prepared, Any]]:
    """The page statements compiled for the driver, beside the Core statement of the ranked matches
    (for the total of a page past the end)."""
    built = _statements(dialect.name, words)
    return {name: (prepare(paged, dialect), best) for name, (paged, best) in built.items()}


def _chinese_values(keys: QueryKeys) -> dict[str, Any]:
    compact = keys.zh_compact or keys.zh
    short = len(compact) < 3
    return {
        **_prefix_values("zh", keys.zh),
        **_prefix_values("zc", compact),
        **_prefix_values("hant", keys.text),
        "vocab_lo": compact if short else _NOTHING,
        "vocab_hi": compact + _TOP if short else _NOTHING,
        "vocab_limit": _SHORT_TRIGRAMS.get(len(compact), 0),
        "zh_phrase": _fts_phrase(compact),
        "substring_like": f"%{_like_escape(compact)}%",
    }


def _tsquery_word(word: str) -> str:
    """A word as a ``tsquery`` lexeme: quoted (a quote doubled, a backslash escaped), so no character
    typed is read as an operator."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


# How each database writes a word-prefix query: a word, "and", and the mark of a prefix.
_WORD_QUERY = {"sqlite": (_fts_phrase, " AND ", "*"), "postgresql": (_tsquery_word, " & ", ":*")}


def _words_query(words: tuple[str, ...], dialect: str) -> str:
    """``"short" AND "chain" AND "fat"*`` (FTS5), ``'short' & 'chain' & 'fat':*`` (PostgreSQL): the
    words typed before the last are whole, the last one is being typed (a prefix, from two letters: a
    one-letter prefix would read most of the index)."""
    word, conjunction, prefix = _WORD_QUERY["sqlite" if dialect == "sqlite" else "postgresql"]
    parts = [word(w) for w in words]
    if len(words[-1]) >= 2:
        parts[-1] += prefix
    return conjunction.join(parts)


def _latin_values(keys: QueryKeys, dialect: str) -> dict[str, Any]:
    abbr_prefix = keys.abbr if len(keys.abbr) >= 2 else _NOTHING
    values: dict[str, Any] = {
        "abbr_text": keys.abbr_text or _NOTHING,
        "abbr_keys": array_value(dialect, keys.abbr_variants),
        "en_variants": array_value(dialect, keys.en_variants),
        "ini": keys.initials or _NOTHING,
        **_prefix_values("en", keys.en or _NOTHING),
        **_prefix_values("py", keys.pinyin or _NOTHING),
        **_prefix_values("ap", abbr_prefix),
    }
    words = keys.words[:_MAX_WORDS]
    values["words_query"] = _words_query(words, dialect) if words else ""
    return values


def _kind_of(rank: int) -> str:
    return MATCH_KINDS[rank // ((_COUNT_CAP + 1) * (_LENGTH_CAP + 1)) // 12]


def _page_of_matches(session: Session, keys: QueryKeys, limit: int, offset: int) -> tuple[list[Hit], int]:
    """One page of hits and the total, in one statement (a second only for a page past the end)."""
    connection = session.connection()
    dialect = connection.dialect
    short = False
    if keys.zh:
        paged, best = _prepared(dialect, False)["chinese"]
        values = _chinese_values(keys)
        short = len(keys.zh_compact or keys.zh) < 3  # a substring without a trigram of its own
    else:
        paged, best = _prepared(dialect, bool(keys.words))["latin"]
        values = _latin_values(keys, dialect.name)
    rows = run(connection, paged, {**values, "page_limit": limit, "page_offset": offset}, plan_for_values=short)
    if not rows:
        total = (
            connection.execute(select(func.count()).select_from(best.subquery()), values).scalar_one() if offset else 0
        )
        return [], total
    concepts: dict[int, ConceptRow] = {}
    matches: dict[int, tuple[int, str, int]] = {}
    for row in rows:
        term = TermRow(*row[7:])
        concept = concepts.get(term.concept_id)
        if concept is None:
            concept = concepts[term.concept_id] = ConceptRow(term.concept_id, row[4], row[5], row[6], [])
            matches[term.concept_id] = (row[0], row[1], row[2])
        concept.terms.append(term)
    hits = []
    for concept_id, concept in concepts.items():
        term_id, form, rank = matches[concept_id]
        kind = _kind_of(rank)
        matched = next((t for t in concept.terms if t.id == term_id), None)
        hits.append(
            Hit(concept=concept, match_kind=kind, matched_term=matched, field=_FORMS[form][1], score=_SCORES[kind])
        )
    return hits, rows[0][3]


def _pieces(key: str) -> list[str]:
    """Parts of a typed key of which at least one is intact when the key has a few typos.

    A key of ``n`` characters cut in ``k + 1`` pieces keeps one whole after ``k`` edits; each piece
    has at least three characters (a trigram). A short key uses its overlapping trigrams instead.
    """
    count = min(FUZZY_MAX_PIECES, len(key) // 3, max(2, len(key) // 6))
    if count < 2:
        return [key[i : i + 3] for i in range(max(1, len(key) - 2))][:FUZZY_MAX_PIECES]
    size, extra = divmod(len(key), count)
    pieces, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        pieces.append(key[start:end])
        start = end
    return [p for p in pieces if len(p.strip()) >= 3]


@lru_cache(maxsize=16)
def _candidate_statement(dialect: str, pieces: int) -> Any:
    columns = (_T.id, _T.concept_id, _T.status, _T.count, _T.key)
    en_full = (_T.lang == "en", _T.kind != "abbreviation")
    if dialect == "sqlite":
        ids = " UNION ALL ".join(
            f"SELECT * FROM (SELECT rowid FROM term_trigram WHERE term_trigram MATCH :p{i} LIMIT {FUZZY_PIECE_LIMIT})"
            for i in range(pieces)
        )
        return select(*columns).where(_T.id.in_(text(ids).columns(column("rowid", Integer))), *en_full)
    return union_all(
        *(
            select(*columns).where(*en_full, _T.key.like(bindparam(f"p{i}"), escape="\\")).limit(FUZZY_PIECE_LIMIT)
            for i in range(pieces)
        )
    )


def fuzzy_candidates(session: Session, key: str) -> list[Any]:
    """English full names and variants that keep a piece of ``key`` intact: ``(id, concept_id, status,
    count, key)`` rows, one statement, for RapidFuzz to rank."""
    pieces = _pieces(key)
    if not pieces:
        return []
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        values = {f"p{i}": _fts_phrase(p) for i, p in enumerate(pieces)}
    else:
        values = {f"p{i}": f"%{_like_escape(p)}%" for i, p in enumerate(pieces)}
    return list(connection.execute(_candidate_statement(dialect, len(pieces)), values))


def fuzzy_ranked(key: str, rows: list[Any]) -> list[tuple[float, Any]]:
    """``(similarity 0–100, row)`` for the rows close enough to ``key``, closest first (one per term)."""
    seen, scored = set(), []
    for row in rows:
        if row.id in seen:
            continue
        seen.add(row.id)
        score = fuzz.ratio(key, row.key or "")
        if score >= FUZZY_MIN_SCORE:
            scored.append((score, row))
    scored.sort(key=lambda item: (-item[0], item[1].status != "preferred", -(item[1].count or 0), item[1].id))
    return scored


def _fuzzy_matches(session: Session, keys: QueryKeys) -> list[_Ranked]:
    """English with a typo: candidates from the trigram index, then RapidFuzz on the whole key."""
    ranked, seen = [], set()
    for score, row in fuzzy_ranked(keys.en, fuzzy_candidates(session, keys.en)):
        if row.concept_id not in seen:
            seen.add(row.concept_id)
            ranked.append(_Ranked(row.concept_id, row.id, "fuzzy", "en", round(score / 100 * 0.6, 3)))
    return ranked


def _fuzzy_page(session: Session, keys: QueryKeys, limit: int, offset: int) -> tuple[list[Hit], int]:
    ranked = _fuzzy_matches(session, keys)
    page = ranked[offset : offset + limit]
    concepts = load_concept_rows(session, [m.concept_id for m in page])
    hits = []
    for m in page:
        concept = concepts.get(m.concept_id)
        if concept is not None:
            term = next((t for t in concept.terms if t.id == m.term_id), None)
            hits.append(Hit(concept=concept, match_kind=m.kind, matched_term=term, field=m.field, score=m.score))
    return hits, len(ranked)


def search_concepts(
    session: Session, query: str, *, lang: str | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Concepts matching ``query`` in any script or form, best first, one page of them."""
    from .in_query import terms_in_query

    keys = parse_query(query, lang)
    if keys.is_empty:
        return SearchPage(results=[], total=0)
    hits, total = _page_of_matches(session, keys, limit, offset)
    if not total and keys.en and len(keys.en) >= 4:
        hits, total = _fuzzy_page(session, keys, limit, offset)
    inside = terms_in_query(session, keys, {h.concept.id for h in hits}) if offset == 0 else []
    return SearchPage(results=hits, total=total, in_query=inside)
