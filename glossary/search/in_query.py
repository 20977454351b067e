"""Glossary terms inside a query: "in your query: 催产素 · HPA" under the direct hits.

A translator often types more than a term (``催产素受体``, ``oxytocin receptor``,
``HPA axis``). Every part of such a query that is a glossary term is found by
equality on the indexed keys, in one statement, without any automaton: each
stretch of two or more characters of a Chinese query (compared without
hyphens and middle dots), and each run of words of a Latin one, as an English
key or, where the words are typed with a capital, as an abbreviation key.
The longest parts win; the whole query is left to the direct hits.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from sqlalchemy import ColumnClause, String, bindparam, func, literal_column, select, true, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..models import Term
from ..models.arrays import among, array_value
from ..models.search_index import compact_sql
from ..text import abbr_key
from .documents import concept_url, load_concept_rows, preferred_term
from .prepared import prepared, run
from .query import QueryKeys, compact_zh

__all__ = ["MAX_PARTS", "terms_in_query"]

# A query's parts are all its stretches: a 30-character query has 435, still one indexed IN list.
_MAX_ZH_CHARS = 30
_MAX_WORDS = 8
MAX_PARTS = 12
_ROWS = 40
_T = Term.__table__.c
_COMPACT: ColumnClause[str] = literal_column(compact_sql("term.key"))
_LATIN_WORD = re.compile(r"[^\s\-/_]+")
_COLUMNS = (_T.id, _T.concept_id, _T.lang, _T.kind, _T.key, _T.text, _T["count"])
_ORDER = (func.length(_T.key).desc(), _T["count"].desc(), _T.id)


class _Found(NamedTuple):
    """A term equal to a part of the query (``_COLUMNS``)."""

    id: int
    concept_id: int
    lang: str
    kind: str
    key: str
    text: str
    seen: int | None  # the term's count (not ``count``: a tuple method)


def _statement(dialect: str) -> Any:
    """Terms equal to any part, the parts passed as three arrays (one parameter each, any count)."""
    tests = (among(_COMPACT, "zh", dialect), among(_T.key, "abbr", dialect))
    # Each half reads its longest, most seen matches first and stops at _ROWS: a common word names
    # many concepts, and only a few parts are shown.
    halves = (
        select(*_COLUMNS).where(_T.lang == "zh", tests[0]),
        _english_names(dialect),
        select(*_COLUMNS).where(_T.lang == "en", _T.kind == "abbreviation", tests[1]),
    )
    return union_all(*(select(half.order_by(*_ORDER).limit(_ROWS).subquery()) for half in halves))


def _english_names(dialect: str) -> Any:
    """English names equal to a part: each part's ``_ROWS`` most seen, read in the order of
    ``ix_term_lang_key_seen`` (a one-word name thousands of concepts share costs ``_ROWS`` index
    entries, not thousands of rows to sort). Within one key the length is the same, so these hold
    the half's first ``_ROWS`` in ``_ORDER``."""
    best = Term.__table__.alias("best")
    if dialect == "sqlite":
        parts = func.json_each(bindparam("en")).table_valued("value").alias("part")
    else:
        parts = func.unnest(bindparam("en", type_=ARRAY(String))).table_valued("value").render_derived("part")
    most_seen = (
        select(best.c.id)
        .where(best.c.lang == "en", best.c.kind != "abbreviation", best.c.key == parts.c.value)
        .order_by(best.c["count"].desc(), best.c.id)
        .limit(_ROWS)
    )
    if dialect == "sqlite":  # no LATERAL: a correlated list, evaluated once per part
        return select(*_COLUMNS).select_from(parts).join(Term.__table__, _T.id.in_(most_seen.scalar_subquery()))
    kept = most_seen.lateral("kept")
    return select(*_COLUMNS).select_from(parts).join(kept, true()).join(Term.__table__, _T.id == kept.c.id)


def _zh_parts(key: str) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    """(lang, key) → spans of the compact query it names (every stretch but the whole)."""
    text = compact_zh(key)[:_MAX_ZH_CHARS]
    parts: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for start in range(len(text)):
        for end in range(start + 2, len(text) + 1):
            if end - start < len(text):
                parts.setdefault(("zh", text[start:end]), []).append((start, end, text[start:end]))
    return parts


def _latin_parts(typed: str) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    words = list(_LATIN_WORD.finditer(typed))[:_MAX_WORDS]
    parts: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for first in range(len(words)):
        for last in range(first, len(words)):
            if last - first + 1 == len(words):
                continue  # the whole query: the direct hits' job
            span = typed[words[first].start() : words[last].end()]
            chosen = words[first : last + 1]
            parts.setdefault(("en", " ".join(w.group().lower() for w in chosen)), []).append(
                (words[first].start(), words[last].end(), span)
            )
            # An abbreviation only where it is typed with a capital: "is" is not IS.
            if any(c.isupper() for c in span):
                parts.setdefault(("abbr", abbr_key(span)), []).append((words[first].start(), words[last].end(), span))
    return parts


def terms_in_query(session: Session, keys: QueryKeys, exclude: set[int]) -> list[dict[str, Any]]:
    """The glossary terms that are parts of the query, longest first where they overlap, in query order;
    concepts in ``exclude`` (already among the direct hits) are left out."""
    parts = _zh_parts(keys.zh) if keys.zh else _latin_parts(keys.text) if keys.en else {}
    if not parts:
        return []
    wanted: dict[str, list[str]] = {"zh": [], "en": [], "abbr": []}
    for lang, key in parts:
        if key:
            wanted[lang].append(key)
    connection = session.connection()
    values = {name: array_value(connection.dialect.name, keys) for name, keys in wanted.items()}
    found: list[tuple[int, int, str, Any]] = []
    for row in map(_Found._make, run(connection, prepared(_statement, connection.dialect), values)):
        if row.concept_id in exclude:
            continue
        if row.lang == "zh":
            lookup = ("zh", compact_zh(row.key))
        else:
            lookup = ("abbr" if row.kind == "abbreviation" else "en", row.key)
        for start, end, span in parts.get(lookup, ()):
            found.append((start, end, span, row))
    # Longest parts first, then the term seen most; a part inside a chosen one is left out.
    found.sort(key=lambda f: (f[0] - f[1], -(f[3].seen or 0), f[3].id))
    taken: list[tuple[int, int]] = []
    chosen, concepts = [], set()
    for start, end, span, row in found:
        if row.concept_id in concepts or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        concepts.add(row.concept_id)
        chosen.append((start, span, row))
        if len(chosen) >= MAX_PARTS:
            break
    if not chosen:
        return []
    owners = load_concept_rows(session, list(concepts))
    names = {
        cid: {lang: getattr(preferred_term(c.terms, lang), "text", None) for lang in ("zh", "en")}
        for cid, c in owners.items()
    }
    chosen.sort(key=lambda c: c[0])
    return [
        {
            "text": span,
            "term": row.text,
            "lang": row.lang,
            "concept_id": row.concept_id,
            "zh": names[row.concept_id]["zh"],
            "en": names[row.concept_id]["en"],
            "url": concept_url(row.concept_id),
        }
        for _, span, row in chosen
        if row.concept_id in names
    ]
