"""Term recognition: every glossary term in a text, longest match first.

Two spelling tables (``term_table.TermTable``) are built from the glossary:

* the **folded** table holds every Chinese term in both scripts (simplified
  and the stored traditional form) and every English term and long or
  mixed-case abbreviation, lower-cased with dashes, slashes and underscores as
  spaces; it is looked up in the text folded the same way;
* the **exact** table holds short all-capital abbreviations (``HPA``,
  ``IL-6``, ``MC1R``) as written, so ``hpa`` in a sentence is not taken for one.

Folding never changes the text's length (one character in, one out), so the
tables' positions are offsets into the text as sent, counted in Unicode code
points (Python string indices, not UTF-16 units or bytes). Latin matches must
stand on word boundaries; within a table the leftmost-longest matches are kept
(at each position the longest term wins), and where the two tables overlap,
the longer match wins. A deleted term is not reported, and an edited one only
as it is spelled now (see ``_recognize``).

The tables are built once per glossary state and saved under
``instance/recognizer/<database>/<newest term id>-<newest revision id>/`` as
plain arrays. A worker memory-maps the newest save instead of building it
(milliseconds, and the pages are shared between workers), and covers the terms
added, and the concepts revised, since with small tables read from the
database. Past ``DELTA_LIMIT`` of those, new tables are built and saved by a
child process while the old ones keep answering: only the very first use on a
new database builds in the request (``flask optimize``, a large import and
``build_recognizer`` build ahead).

The tables replace pyahocorasick automata: at a million concepts those took a
minute to build or 26 s to load, and 2.5 GB in every worker.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from flask import current_app, has_app_context
from sqlalchemy import Integer, bindparam, create_engine, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..models import Revision, Term
from ..models.arrays import among
from ..models.rules import term_order_by
from ..text import fold_common
from .documents import concept_url
from .stamp import _STAMP, Stamp, StampedCache, glossary_stamp
from .term_table import TermTable, open_tables, save_tables

__all__ = [
    "DELTA_LIMIT",
    "MAX_ANNOTATE_CHARS",
    "Annotation",
    "annotate_text",
    "build_recognizer",
    "find_terms",
    "fold_for_matching",
]

MAX_ANNOTATE_CHARS = 200_000
# Fullwidth ASCII (Ｈ, （) as ASCII, lower-cased; dashes, slashes, underscores and blanks as spaces.
_FOLD_TABLE = str.maketrans(
    {
        **{chr(code): chr(code - 0xFEE0).lower() for code in range(0xFF01, 0xFF5F)},
        **{c: " " for c in "-/_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u00a0\t\n\r"},
    }
)
_DASH_TABLE = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"})
_LATIN_WORDS = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]{2,}")
_SHORT_CAPS = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,5}$")


def fold_for_matching(text: str) -> str:
    """Lower-case, dashes/slashes/underscores as spaces, fullwidth Latin as ASCII; same length."""
    folded = text.lower()
    if len(folded) != len(text):  # a few letters lower-case to two code points (İ)
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return folded.translate(_FOLD_TABLE)


class Annotation(NamedTuple):
    """A glossary term found in a text: code-point offsets (end exclusive), the text there, the term."""

    start: int
    end: int
    text: str
    lang: str
    term_id: int
    concept_id: int


_CLASSES = ("folded", "exact")


def _spellings(rows: Any, read: set[int]) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """The spellings to look for, per class, and the term id of each, from term rows
    ``(id, lang, kind, text, zh_hans, zh_hant)``; the id of every row goes into ``read``."""
    spellings: dict[str, list[str]] = {name: [] for name in _CLASSES}
    ids: dict[str, list[int]] = {name: [] for name in _CLASSES}
    for term_id, lang, kind, written, zh_hans, zh_hant in rows:
        read.add(term_id)
        written = fold_common(written)[:_MAX_PATTERN]
        if kind == "abbreviation" and _SHORT_CAPS.match(written):
            spellings["exact"].append(written.translate(_DASH_TABLE))
            ids["exact"].append(term_id)
            continue
        forms = {written}
        if lang == "zh":
            forms.update(f[:_MAX_PATTERN] for f in (zh_hans, zh_hant) if f)
        for form in forms:
            folded = fold_for_matching(form)
            if len(folded.strip()) >= 2 or (lang == "zh" and folded):
                spellings["folded"].append(folded)
                ids["folded"].append(term_id)
    return spellings, ids


_T = Term.__table__.c
_R = Revision.__table__.c
_ROWS = select(_T.id, _T.lang, _T.kind, _T.text, _T.zh_hans, _T.zh_hant)


class _Spellings:
    """The two tables (folded, exact) over the glossary as it was at ``(up_to_id, revision)``, or, for
    the small one, over the terms added or revised since."""

    def __init__(
        self, tables: dict[str, TermTable], up_to_id: int, revision: int, terms: frozenset[int] = frozenset()
    ) -> None:
        self.tables, self.up_to_id, self.revision = tables, up_to_id, revision
        # For a small table: every term it was read from (they supersede the main's), sorted for np.isin.
        self.terms = np.fromiter(sorted(terms), dtype=np.int64, count=len(terms))

    @classmethod
    def read(cls, connection: Any, stmt: Any, up_to_id: int, revision: int, *, keep_ids: bool) -> _Spellings:
        # Per statement: Connection.execution_options() would change the session's connection for good.
        rows = connection.execute(stmt, execution_options={"yield_per": 50_000})
        read: set[int] = set()
        spellings, ids = _spellings(rows, read)
        tables = {name: TermTable.build(spellings[name], ids[name]) for name in _CLASSES}
        return cls(tables, up_to_id, revision, frozenset(read) if keep_ids else frozenset())

    @classmethod
    def whole(cls, connection: Any, stamp: tuple[int, int]) -> _Spellings:
        return cls.read(connection, _ROWS.where(_T.id <= stamp[0]), *stamp, keep_ids=False)

    @classmethod
    def since(cls, connection: Any, main: _Spellings, stamp: tuple[int, int]) -> _Spellings:
        """Terms added after ``main`` was built, and every term of a concept revised since."""
        revised = select(_R.concept_id).where(_R.id > main.revision, _R.concept_id.is_not(None))
        stmt = _ROWS.where(or_(_T.id > main.up_to_id, _T.concept_id.in_(revised.scalar_subquery())))
        return cls.read(connection, stmt, *stamp, keep_ids=True)

    def save(self, folder: Path) -> None:
        save_tables(folder, self.tables, {"up_to_id": self.up_to_id, "revision": self.revision})

    @classmethod
    def open(cls, folder: Path) -> _Spellings:
        tables, meta = open_tables(folder, _CLASSES)
        return cls(tables, meta["up_to_id"], meta["revision"])


def _leftmost_longest(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """At the leftmost start the longest match; then on from its end (how a reader scans)."""
    chosen, reached = [], 0
    for start, end, term_id in sorted(found, key=lambda m: (m[0], -m[1])):
        if start >= reached:
            chosen.append((start, end, term_id))
            reached = end
    return chosen


class _Recognizer:
    """The main tables over the glossary (opened from ``instance/`` when saved) and small ones over the
    terms added or revised since they were built, re-read whenever the stamp moves."""

    def __init__(self, main: _Spellings, stamp: tuple[int, int]) -> None:
        self.main = main
        self.delta: _Spellings | None = None
        self.stamp = stamp
        self.rebuilding = False

    def refresh(self, connection: Any, stamp: tuple[int, int]) -> None:
        self.delta = _Spellings.since(connection, self.main, stamp)
        self.stamp = stamp

    def behind_by(self, stamp: tuple[int, int]) -> int:
        return max(stamp[0] - self.main.up_to_id, stamp[1] - self.main.revision)

    def candidates(self, text: str) -> dict[str, list[tuple[int, int, int]]]:
        """Per class, every (start, end, term id) whose spelling is found, on word boundaries."""
        haystacks = {"folded": fold_for_matching(text), "exact": text.translate(_DASH_TABLE)}
        inside_word = _inside_latin_word(text)
        found: dict[str, list[tuple[int, int, int]]] = {}
        for name in _CLASSES:
            spans: list[tuple[int, int, int]] = []
            for spellings in (self.main, self.delta):
                if spellings is None:
                    continue
                matches = spellings.tables[name].find(haystacks[name])
                starts, ends = matches.starts, matches.starts + matches.lengths
                # Latin matches stand on word boundaries: not cut out of a longer word at either end.
                keep = ~(inside_word[starts] | inside_word[ends])
                if spellings is self.main and self.delta is not None and len(self.delta.terms):
                    # A term revised since the main tables: only its spellings as they are now count.
                    keep &= ~np.isin(matches.term_ids, self.delta.terms)
                spans += zip(starts[keep].tolist(), ends[keep].tolist(), matches.term_ids[keep].tolist(), strict=True)
            found[name] = spans
        return found


# Past this many terms added (or revisions made) since the main tables, new ones are built in the background.
DELTA_LIMIT = 20_000
_MAX_PATTERN = 1000
_ABANDONED_AFTER = 3600  # seconds
_CACHE: StampedCache[_Recognizer] = StampedCache()
_SAVED = re.compile(r"^(\d+)-(\d+)$")


def _folder(engine: Engine) -> Path | None:
    """``instance/recognizer/<database>``: one folder per database the instance serves."""
    if not has_app_context():
        return None
    url = engine.url.render_as_string(hide_password=True)
    return Path(current_app.instance_path) / "recognizer" / hashlib.sha256(url.encode()).hexdigest()[:16]


def _newest_saved(folder: Path | None, stamp: tuple[int, int]) -> _Spellings | None:
    """The saved tables built nearest below ``stamp`` (None if there are none, or unreadable)."""
    if folder is None or not folder.is_dir():
        return None
    saved = sorted(((int(m[1]), int(m[2])) for m in map(_SAVED.match, os.listdir(folder)) if m), reverse=True)
    for up_to, revision in saved:
        if up_to <= stamp[0] and revision <= stamp[1]:
            try:
                return _Spellings.open(folder / f"{up_to}-{revision}")
            except (OSError, ValueError, KeyError):
                continue  # a damaged save: an older one, or a build
    return None


def _build_and_save(engine: Engine, folder: Path | None) -> tuple[_Spellings, tuple[int, int]]:
    """A full build on a connection of its own, saved for every process; older saves removed."""
    with engine.connect() as connection:
        newest = connection.execute(_STAMP).one()
        stamp = (newest[0] or 0, newest[1] or 0)
        spellings = _Spellings.whole(connection, stamp)
    if folder is not None:
        name = f"{stamp[0]}-{stamp[1]}"
        spellings.save(folder / name)
        for entry in os.listdir(folder):
            older = entry != name and _SAVED.match(entry)
            # A build's temporary folder is left behind only by a process that died mid-build.
            abandoned = entry.endswith(".tmp") and time.time() - (folder / entry).stat().st_mtime > _ABANDONED_AFTER
            if older or abandoned:
                shutil.rmtree(folder / entry, ignore_errors=True)  # open maps stay valid until closed
    return spellings, stamp


def build_recognizer(session: Session) -> float:
    """Build and save the recognition tables for the glossary as it is now (what the first annotate
    of a new database would otherwise do); the seconds it took."""
    started = time.perf_counter()
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    main, stamp = _build_and_save(engine, _folder(engine))
    _CACHE.replace(engine, _CACHE.peek(engine), _Recognizer(main, (stamp[0], -1)), (stamp[0], -1))
    return time.perf_counter() - started


def _build_in_child(url: str, folder: str) -> None:
    """The build, in a process of its own (its memory is given back when it ends)."""
    engine = create_engine(url)
    try:
        _build_and_save(engine, Path(folder))
    finally:
        engine.dispose()


def _build_elsewhere(engine: Engine, folder: Path) -> _Spellings:
    """Build and save in a child process, so that a serving worker's memory does not grow by the
    build's (hundreds of MB at a million concepts); then open what it saved."""
    url = engine.url.render_as_string(hide_password=False)
    child = multiprocessing.get_context("spawn").Process(
        target=_build_in_child, args=(url, str(folder)), name="glossary-recognizer-build", daemon=True
    )
    child.start()
    child.join()
    saved = _newest_saved(folder, (sys.maxsize, sys.maxsize))
    if child.exitcode != 0 or saved is None:
        raise RuntimeError(f"building the term-recognition tables failed (exit code {child.exitcode})")
    return saved


def _rebuild_in_background(engine: Engine, folder: Path | None, recognizer: _Recognizer) -> None:
    """Build new main tables (in a child process when they are saved) while the old ones (and their
    delta) keep answering."""
    recognizer.rebuilding = True

    def work() -> None:
        try:
            if folder is not None:
                spellings = _build_elsewhere(engine, folder)
            else:
                spellings = _build_and_save(engine, None)[0]
            stamp = (spellings.up_to_id, -1)  # an impossible stamp: the next read refreshes its delta
            _CACHE.replace(engine, recognizer, _Recognizer(spellings, stamp), stamp)
        finally:
            recognizer.rebuilding = False

    threading.Thread(target=work, name="glossary-recognizer", daemon=True).start()


def _recognizer(session: Session) -> _Recognizer:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    stamp = glossary_stamp(session)
    return _CACHE.get(engine, stamp, lambda cached: _brought_up_to(session, engine, stamp, cached))


def _brought_up_to(session: Session, engine: Engine, stamp: Stamp, cached: _Recognizer | None) -> _Recognizer:
    """The recognizer for ``stamp``: the cached one with a new delta, or (first, or on a database that went
    back) main tables opened from the newest save, or built."""
    if cached is None or stamp[0] < cached.main.up_to_id or stamp[1] < cached.main.revision:
        folder = _folder(engine)
        main = _newest_saved(folder, stamp)
        if main is None:  # nothing saved yet (a new instance): built once, saved for every process
            main, built = _build_and_save(engine, folder)
            stamp_of_main = built
        else:
            stamp_of_main = (main.up_to_id, -1)
        cached = _Recognizer(main, stamp_of_main)
    if cached.stamp != stamp:
        cached.refresh(session.connection(), stamp)
        if cached.behind_by(stamp) > DELTA_LIMIT and not cached.rebuilding:
            _rebuild_in_background(engine, _folder(engine), cached)
    return cached


def _inside_latin_word(text: str) -> np.ndarray:
    """For each offset 0..len(text): whether it falls between two letters or digits of one Latin word
    (a match may not start or end there)."""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for word in _LATIN_WORDS.finditer(text):
        inside[word.start() + 1 : word.end()] = True
    return inside


_CHUNK = 2000


@lru_cache(maxsize=4)
def _family_statement(dialect: str) -> Any:
    """Every term of the concepts that own some terms, each concept's in the rulebook's order (so that
    its first full name per language is its preferred one)."""
    owners = select(_T.concept_id).where(_among(_T.id, dialect)).scalar_subquery()
    return (
        select(_T.id, _T.concept_id, _T.lang, _T.kind, _T.text)
        .where(_T.concept_id.in_(owners))
        .order_by(_T.concept_id, *term_order_by(_T))
    )


def _among(column: Any, dialect: str) -> Any:
    """PostgreSQL takes the ids as one array parameter; SQLite as bound values, in order (neighbouring
    ids share pages), which measured several times faster here than its ``json_each``."""
    return (
        column.in_(bindparam("ids", expanding=True)) if dialect == "sqlite" else among(column, "ids", dialect, Integer)
    )


def _families(session: Session, term_ids: set[int]) -> list[Any]:
    """The rows of ``_family_statement`` for ``term_ids``: on SQLite a chunk of bound values at a time."""
    dialect = session.get_bind().dialect.name
    ordered = sorted(term_ids)
    chunk = _CHUNK if dialect == "sqlite" else max(1, len(ordered))
    rows: list[Any] = []
    for i in range(0, len(ordered), chunk):
        rows += session.connection().execute(_family_statement(dialect), {"ids": ordered[i : i + chunk]})
    return rows


def _choose(found: dict[str, list[tuple[int, int, int]]], gone: set[int]) -> list[tuple[int, int, int]]:
    """Within each table the leftmost-longest matches, then the longer wherever the two overlap."""
    candidates = []
    for spans in found.values():
        candidates += _leftmost_longest([span for span in spans if span[2] not in gone])
    taken = bytearray(max((end for _, end, _ in candidates), default=0))
    chosen = []
    for start, end, term_id in sorted(candidates, key=lambda m: (m[0] - m[1], m[0])):
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, term_id))
    return chosen


def _recognize(session: Session, text: str) -> tuple[list[Annotation], list[Any]]:
    """The annotations, and every term of their concepts (each concept's in the rulebook's order).

    The tables say which term each match is; the database then says what that term is now. A term
    deleted since the main tables were built is not there: its matches are dropped and the choice
    made again, so that it does not hide a shorter term that still stands. (Terms edited since come
    from the small tables, which supersede the main ones; a 64-bit hash collision between a substring
    and a spelling, about one in 10^7 texts of 10,000 characters at a million concepts, is not checked.)
    """
    found = _recognizer(session).candidates(text)
    gone: set[int] = set()
    families: list[Any] = []
    rows: dict[int, Any] = {}
    while True:
        chosen = _choose(found, gone)
        wanted = {term_id for _, _, term_id in chosen} - rows.keys() - gone
        if wanted:
            read = _families(session, wanted)
            families += read
            rows.update((row.id, row) for row in read)
        missing = {term_id for _, _, term_id in chosen if term_id not in rows}
        if not missing:
            break
        gone |= missing
    annotations = [
        Annotation(start, end, text[start:end], rows[term_id].lang, term_id, rows[term_id].concept_id)
        for start, end, term_id in sorted(chosen)
    ]
    return annotations, families


def find_terms(session: Session, text: str) -> list[Annotation]:
    """Every glossary term in ``text``: longest wins, offsets in code points, in text order."""
    return _recognize(session, text)[0]


def annotate_text(session: Session, text: str) -> list[dict[str, Any]]:
    """Plain dicts for the API: offsets, the matched text, the glossary term, the concept, the translation."""
    found, families = _recognize(session, text)
    names: dict[tuple[int, str], str] = {}
    terms: dict[int, str] = {}
    for term_id, concept_id, lang, kind, written in families:
        terms[term_id] = written
        if kind != "abbreviation":  # each concept's terms come in the rulebook's order: the first is preferred
            names.setdefault((concept_id, lang), written)
    results = []
    for start, end, matched, lang, term_id, concept_id in found:
        zh, en = names.get((concept_id, "zh")), names.get((concept_id, "en"))
        results.append(
            {
                "start": start,
                "end": end,
                "text": matched,
                "lang": lang,
                "term": terms[term_id],
                "concept_id": concept_id,
                "zh": zh,
                "en": en,
                "translation": zh if lang == "en" else en,
                "url": concept_url(concept_id),
            }
        )
    return results
