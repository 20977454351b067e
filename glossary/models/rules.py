"""The concept rulebook: the rules about a concept's terms that every door must agree on.

Pages, API, importers, review and search used to each carry their own copy of
these rules, and the copies drifted (the API and the pages listed a concept's
terms in different orders; the import merge ignored a term's kind). Each rule
lives here once, in the models layer so that models, search, services and the
doors can all read it:

- ``ordered_terms``: the order a concept's terms are shown and picked in.
- ``term_key`` and ``term_group``: the key a term is matched by, and the group it is matched
  within (Chinese names, English names, abbreviations in either language).
- ``merge_terms``: how incoming terms meet a concept's terms, under one of three named
  policies (``REPLACE`` for an edit, ``ADD_MISSING`` for an import, ``MERGE_CANDIDATE`` for
  a reviewed candidate).
- ``concepts_sharing``: which concepts hold a term with one of these keys, in one query.
- ``FIELD_LIMITS``: the longest text each field takes, for forms, services, imports and API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from ..text import abbr_key, english_key, zh_key
from . import LANGS, Term
from .arrays import among, array_value

__all__ = [
    "ADD_MISSING",
    "FIELD_LIMITS",
    "KIND_ORDER",
    "LANG_ORDER",
    "MAX_TERMS",
    "MERGE_CANDIDATE",
    "REPLACE",
    "STATUS_ORDER",
    "MergePolicy",
    "MergeResult",
    "SharedTerm",
    "TermKey",
    "concepts_sharing",
    "merge_terms",
    "ordered_terms",
    "term_group",
    "term_group_key",
    "term_identity",
    "term_key",
    "term_sort_key",
]

# The longest text, in characters, each field takes, whichever door it comes in by: the
# forms' validators, the services' checks, the import and the API read this table, and
# every refusal names the limit. ``term`` is a term's text (and its curated traditional
# form); ``abbreviation`` a candidate's abbreviation, as its column holds it.
FIELD_LIMITS: dict[str, int] = {
    "domain": 100,
    "definition": 20000,
    "note": 20000,
    "internal_note": 20000,
    "term": 500,
    "zh_hant": 500,
    "abbreviation": 100,
    "term_note": 2000,
}
# The most terms one concept may have.
MAX_TERMS = 200

T = TypeVar("T")

# The order a curator reads a concept in (the concept page's table): Chinese, then English;
# within a language the preferred terms, then admitted, then deprecated; within a status the
# full name, then its variants, then abbreviations; then the older term first.
LANG_ORDER = ("zh", "en")
STATUS_ORDER = ("preferred", "admitted", "deprecated")
KIND_ORDER = ("full", "variant", "abbreviation")
_LANG_RANK = {v: i for i, v in enumerate(LANG_ORDER)}
_STATUS_RANK = {v: i for i, v in enumerate(STATUS_ORDER)}
_KIND_RANK = {v: i for i, v in enumerate(KIND_ORDER)}


def _get(term: Any, name: str) -> Any:
    """A field of a term: an ORM row, a Core row, a dataclass or a plain dict alike."""
    return term.get(name) if isinstance(term, dict) else getattr(term, name, None)


def term_sort_key(term: Any) -> tuple[int, int, int, bool, int]:
    """Where a term goes in ``ordered_terms``: unknown values last, unsaved terms after saved ones."""
    term_id = _get(term, "id")
    return (
        _LANG_RANK.get(_get(term, "lang"), len(LANG_ORDER)),
        _STATUS_RANK.get(_get(term, "status") or "preferred", len(STATUS_ORDER)),
        _KIND_RANK.get(_get(term, "kind") or "full", len(KIND_ORDER)),
        term_id is None,
        term_id or 0,
    )


def ordered_terms(terms: Iterable[T], lang: str | None = None, kind: str | None = None) -> list[T]:
    """A concept's terms preferred first: the one order of the concept pages and the API answers.

    Chinese before English; preferred, admitted, deprecated; full name, variant, abbreviation;
    then by id (terms not yet saved keep the order they were given in, after the saved ones).
    ``lang`` and ``kind`` keep only the terms of that language or kind. The first term of a
    language (not an abbreviation) is that language's preferred name.
    """
    found = [
        t for t in terms if (lang is None or _get(t, "lang") == lang) and (kind is None or _get(t, "kind") == kind)
    ]
    return sorted(found, key=term_sort_key)


def term_order_by(columns: Any) -> list[Any]:
    """``ordered_terms``' order as SQL ``ORDER BY`` terms over a term table's columns, so that a
    statement can pick the first term (a concept's preferred name) without sending the rest."""

    def rank(column: Any, order: tuple[str, ...], missing: str) -> Any:
        return case({value: i for i, value in enumerate(order)}, value=func.coalesce(column, missing), else_=len(order))

    return [
        rank(columns.lang, LANG_ORDER, ""),
        rank(columns.status, STATUS_ORDER, "preferred"),
        rank(columns.kind, KIND_ORDER, "full"),
        columns.id,
    ]


def term_key(language: str, text: str, kind: str = "full") -> str:
    """The key a term is matched by (duplicates, merges, imports, search): folded, never shown.

    An abbreviation is matched by its folded letters whatever its language; a Chinese name by its
    simplified form; an English name by its folded words.
    """
    if kind == "abbreviation":
        return abbr_key(text)
    return zh_key(text) if language == "zh" else english_key(text)


def term_group(language: str, kind: str = "full") -> str:
    """The group a term is matched within: ``zh``, ``en``, or ``abbr`` (an abbreviation in either language).

    An abbreviation never stands in for a name: "NF-κB" the abbreviation and "NFKB" a spelling of
    the English name share a key but not a group.
    """
    return "abbr" if kind == "abbreviation" else language


# (group, key): what two terms must share to be the same name of a concept.
TermKey = tuple[str, str]


def term_group_key(language: str, text: str, kind: str = "full") -> TermKey:
    """The (group, key) of a term: equal for two spellings of the same name in the same group."""
    return term_group(language, kind), term_key(language, text, kind)


class SharedTerm(NamedTuple):
    """A stored term that ``concepts_sharing`` found: enough to name it, rank it and match it."""

    id: int
    lang: str
    kind: str
    text: str
    key: str
    seen_count: int  # the term's count: how often it was seen (not ``count``: a tuple method)

    @property
    def group_key(self) -> TermKey:
        return term_group(self.lang, self.kind), self.key


@lru_cache(maxsize=4)
def _sharing_statement(dialect: str) -> Any:
    """Every term whose (lang, key) is among the given: one statement, one array parameter a language.

    A UNION ALL, not an OR: each half probes the (lang, key) index once per key. The keys travel as
    one JSON array (SQLite's ``json_each``) or one array (PostgreSQL's ``= ANY``), whatever their number.
    """
    t = Term.__table__.c
    return union_all(
        *(
            select(t.id, t.concept_id, t.lang, t.kind, t.text, t.key, t["count"]).where(
                t.lang == lang, among(t.key, lang, dialect)
            )
            for lang in LANGS
        )
    )


def concepts_sharing(session: Session, keys: Iterable[TermKey]) -> dict[int, list[SharedTerm]]:
    """Concepts holding a term with one of these (group, key) pairs → those terms, oldest first.

    One statement whatever the number of keys or of concepts found (the doors load the concepts
    they keep in one more, never one per concept). A pair's group is ``zh``, ``en`` or ``abbr``
    (``term_group``): ``("en", "nf kb")`` finds English names, ``("abbr", "nfkb")`` abbreviations.
    """
    wanted = set(keys)
    if not wanted:
        return {}
    by_lang: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for group, key in wanted:
        for lang in LANGS if group == "abbr" else (group,):
            if lang in by_lang:
                by_lang[lang].add(key)
    dialect = session.get_bind().dialect.name
    values = {lang: array_value(dialect, sorted(found)) for lang, found in by_lang.items()}
    shared: dict[int, list[SharedTerm]] = {}
    # Through the session, not its connection: what the session has pending is flushed first.
    for term_id, concept_id, lang, kind, text, key, count in session.execute(_sharing_statement(dialect), values):
        if (term_group(lang, kind), key) in wanted:
            shared.setdefault(concept_id, []).append(SharedTerm(term_id, lang, kind, text, key, count or 0))
    for terms in shared.values():
        if len(terms) > 1:
            terms.sort()  # by id, the first field
    return shared


@dataclass(frozen=True)
class MergePolicy:
    """How incoming terms meet a concept's terms; each door names the one it means.

    ``match``: "identity" (same language, kind and text: an edit names every term exactly) or
    "key" (same group and match key: "NF-κB" meets "NF-kB", and an abbreviation never meets a
    name). ``remove_missing``: terms not among the incoming go. ``take_status``: a matched
    term takes the incoming status and curated traditional form. ``counts``: "max" keeps the
    larger count of a matched term, "add" adds the incoming count (seen again). ``admit``: an
    added term never becomes a second preferred term of its language and group; it is added
    as admitted (a full name as a variant).
    """

    name: str
    match: str
    remove_missing: bool
    take_status: bool
    counts: str
    admit: bool


# An edit (page, API, revert): the incoming list is the concept's terms from now on.
REPLACE = MergePolicy("replace", match="identity", remove_missing=True, take_status=True, counts="max", admit=False)
# An import: add the terms the concept lacks; the file's status is kept (a different status of
# the same term is reported by the import as a conflict before any merge).
ADD_MISSING = MergePolicy(
    "add-missing", match="key", remove_missing=False, take_status=False, counts="max", admit=False
)
# A reviewed candidate: add the chosen terms, count the ones the concept has again, and keep
# the concept's preferred terms preferred.
MERGE_CANDIDATE = MergePolicy(
    "merge-candidate", match="key", remove_missing=False, take_status=False, counts="add", admit=True
)


@dataclass
class MergeResult:
    """What ``merge_terms`` did: terms added, removed, and matched (kept, perhaps updated)."""

    added: list[Any] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    matched: list[Any] = field(default_factory=list)


def _new_term(data: Any) -> Any:
    return Term(**data) if isinstance(data, dict) else data


def _set(term: Any, name: str, value: Any) -> None:
    if isinstance(term, dict):
        term[name] = value
    else:
        setattr(term, name, value)


def term_identity(term: Any) -> tuple[str, str, str]:
    """(lang, kind, text): what names one term exactly, as an edit of the whole concept lists it."""
    return _get(term, "lang"), _get(term, "kind") or "full", _get(term, "text")


def _identity(term: Any, policy: MergePolicy) -> tuple[str, ...]:
    lang, kind, text = term_identity(term)
    if policy.match == "identity":
        return lang, kind, text
    # A plain term object (an import's) carries its key, computed once; an ORM row's key is only
    # refreshed when it is flushed, and a dict has none: those are keyed here.
    carried = None if isinstance(term, (dict, Term)) else getattr(term, "key", None)
    return (term_group(lang, kind), carried) if carried else term_group_key(lang, text, kind)


def merge_terms(
    concept: Any, incoming: Iterable[Any], policy: MergePolicy, make: Callable[[Any], Any] = _new_term
) -> MergeResult:
    """Bring ``incoming`` terms into ``concept.terms`` under ``policy``; returns what it did.

    ``concept`` is anything with a ``terms`` list (an ORM ``Concept``, an import's planned
    concept); ``incoming`` are validated term dicts or term objects. ``make`` turns an incoming
    term into the object appended (by default a dict becomes a ``Term`` and an object is kept).
    A term added under ``admit`` is changed before it is made (a dict is copied; an object is
    changed in place).
    """
    result = MergeResult()
    existing: dict[tuple[str, ...], Any] = {}
    for term in concept.terms:
        existing.setdefault(_identity(term, policy), term)
    wanted: dict[tuple[str, ...], Any] = {}
    for term in incoming:
        wanted.setdefault(_identity(term, policy), term)
    if policy.remove_missing:
        for identity, term in list(existing.items()):
            if identity not in wanted:
                concept.terms.remove(term)
                result.removed.append(term)
                del existing[identity]
    for identity, data in wanted.items():
        kept = existing.get(identity)
        if kept is not None:
            count = _get(data, "count") or 0
            if policy.counts == "add":
                _set(kept, "count", (_get(kept, "count") or 0) + count)
            elif count > (_get(kept, "count") or 0):
                _set(kept, "count", count)
            if policy.take_status:
                _set(kept, "status", _get(data, "status") or "preferred")
                _set(kept, "zh_hant", _get(data, "zh_hant"))  # None: converted again from the text
            result.matched.append(kept)
            continue
        if policy.admit:
            data = _admitted(concept.terms, data)
        term = make(data)
        concept.terms.append(term)
        existing[identity] = term
        result.added.append(term)
    return result


def _admitted(terms: list[Any], data: Any) -> Any:
    """``data`` as admitted (a full name as a variant) when ``terms`` already have a preferred term of its group."""
    lang, kind = _get(data, "lang"), _get(data, "kind") or "full"
    group = term_group(lang, kind)
    taken = any(
        _get(t, "lang") == lang
        and term_group(lang, _get(t, "kind") or "full") == group
        and _get(t, "status") == "preferred"
        for t in terms
    )
    if not taken:
        return data
    changes = {"status": "admitted", "kind": "abbreviation" if kind == "abbreviation" else "variant"}
    if isinstance(data, dict):
        return {**data, **changes}
    for name, value in changes.items():
        setattr(data, name, value)
    return data
