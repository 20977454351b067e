"""Term recognition: every glossary term in a text, longest match first.

Two Aho–Corasick automata (pyahocorasick) are built from the glossary:

* the **folded** automaton holds every Chinese term in both scripts (simplified
  and the stored traditional form) and every English term and long or
  mixed-case abbreviation, lower-cased with dashes, slashes and underscores as
  spaces; it runs over the text folded the same way;
* the **exact** automaton holds short all-capital abbreviations (``HPA``,
  ``IL-6``, ``MC1R``) as written, so ``hpa`` in a sentence is not taken for one.

Folding never changes the text's length (one character in, one out), so the
automata's positions are offsets into the text as sent, counted in Unicode code
points (Python string indices, not UTF-16 units or bytes). ``iter_long`` gives
the leftmost-longest matches in C (at each position the longest term wins);
Latin matches must stand on word boundaries; where the two automata overlap,
the longer match wins.

The automata are built once per glossary state and saved under
``instance/automata/<database>/`` with pyahocorasick's own format, named by the
glossary stamp (``max(term.id)``, ``max(revision.id)``) they were built at. A
worker loads the newest saved pair instead of building it (seconds instead of a
minute at a million concepts), and covers the terms added since with a small
second automaton read from the database. Past ``DELTA_LIMIT`` new terms a new
main pair is built and saved in a background thread while the old one keeps
answering: only the very first use on a new database builds in the request.
Matched terms are read back from the database, so a deleted term is never
reported and a newest one must still spell the match.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick
from flask import current_app, has_app_context
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..models import Term
from ..models.rules import ordered_terms
from ..text import fold_common
from .documents import concept_url
from .stamp import _STAMP, Stamp, StampedCache, glossary_stamp

__all__ = [
    "DELTA_LIMIT",
    "MAX_ANNOTATE_CHARS",
    "Annotation",
    "annotate_text",
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
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]")
_SHORT_CAPS = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,5}$")


def fold_for_matching(text: str) -> str:
    """Lower-case, dashes/slashes/underscores as spaces, fullwidth Latin as ASCII; same length."""
    folded = text.lower()
    if len(folded) != len(text):  # a few letters lower-case to two code points (İ)
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return folded.translate(_FOLD_TABLE)


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    text: str
    lang: str
    term_id: int
    concept_id: int


class _Automata:
    """The two automata over the terms with ids in ``(after_id, up_to_id]``.

    Values are pattern numbers (the automata store plain C ints: no Python object per pattern);
    the term id and the pattern's length are kept per pattern in two compact arrays.
    """

    def __init__(self, after_id: int, up_to_id: int) -> None:
        self.after_id, self.up_to_id = after_id, up_to_id
        self.folded = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.exact = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.term_ids = array("q")
        self.lengths = array("H")

    def _pattern(self, automaton: Any, pattern: str, term_id: int) -> None:
        automaton.add_word(pattern, len(self.term_ids))
        self.term_ids.append(term_id)
        self.lengths.append(len(pattern))

    def add(self, term_id: int, lang: str, kind: str, text: str, zh_hans: str | None, zh_hant: str | None) -> None:
        text = fold_common(text)[:_MAX_PATTERN]
        if kind == "abbreviation" and _SHORT_CAPS.match(text):
            self._pattern(self.exact, text.translate(_DASH_TABLE), term_id)
            return
        forms = {text}
        if lang == "zh":
            forms.update(f[:_MAX_PATTERN] for f in (zh_hans, zh_hant) if f)
        for form in forms:
            folded = fold_for_matching(form)
            # One term per pattern: a homonym keeps the older term's concept.
            if (len(folded.strip()) >= 2 or lang == "zh") and folded not in self.folded:
                self._pattern(self.folded, folded, term_id)

    def load(self, connection: Any) -> _Automata:
        t = Term.__table__.c
        stmt = (
            select(t.id, t.lang, t.kind, t.text, t.zh_hans, t.zh_hant)
            .where(t.id > self.after_id, t.id <= self.up_to_id)
            .order_by(t.id)
        )
        # Per statement: Connection.execution_options() would change the session's connection for good.
        for row in connection.execute(stmt, execution_options={"yield_per": 50_000}):
            self.add(*row)
        for automaton in (self.folded, self.exact):
            if len(automaton):
                automaton.make_automaton()
        return self

    def matches(self, text: str, folded: str, dashed: str) -> list[tuple[int, int, int]]:
        """(start, end, term id) of the leftmost-longest matches on word boundaries."""
        found = []
        term_ids, lengths = self.term_ids, self.lengths
        for automaton, haystack in ((self.folded, folded), (self.exact, dashed)):
            if automaton.kind != ahocorasick.AHOCORASICK:
                continue
            for last, value in automaton.iter_long(haystack):
                start, end = last - lengths[value] + 1, last + 1
                if _on_word_boundary(text, start, end):
                    found.append((start, end, term_ids[value]))
        return found

    # -- saved under instance/ -------------------------------------------------
    def save(self, folder: Path, name: str) -> None:
        """Write the automata and their arrays; renamed into place last, so a reader never sees half."""
        folder.mkdir(parents=True, exist_ok=True)
        token = f".{os.getpid()}.{threading.get_ident()}.tmp"
        for suffix, automaton in ((".folded", self.folded), (".exact", self.exact)):
            automaton.save(str(folder / (name + suffix + token)))
        (folder / (name + ".arrays" + token)).write_bytes(
            pickle.dumps((self.after_id, self.up_to_id, self.term_ids.tobytes(), self.lengths.tobytes()))
        )
        for suffix in (".folded", ".exact", ".arrays"):  # .arrays last: its presence means complete
            os.replace(folder / (name + suffix + token), folder / (name + suffix))

    @classmethod
    def read(cls, folder: Path, name: str) -> _Automata:
        after_id, up_to_id, term_ids, lengths = pickle.loads((folder / (name + ".arrays")).read_bytes())
        automata = cls(after_id, up_to_id)
        automata.folded = ahocorasick.load(str(folder / (name + ".folded")), pickle.loads)
        automata.exact = ahocorasick.load(str(folder / (name + ".exact")), pickle.loads)
        automata.term_ids.frombytes(term_ids)
        automata.lengths.frombytes(lengths)
        return automata


class _Recognizer:
    """A main automaton over the glossary (loaded from ``instance/`` when saved) and a small one
    over the terms added since it was built, rebuilt whenever the stamp moves."""

    def __init__(self, main: _Automata, stamp: tuple[int, int]) -> None:
        self.main = main
        self.delta: _Automata | None = None
        self.stamp = stamp
        self.rebuilding = False

    def refresh(self, connection: Any, stamp: tuple[int, int]) -> None:
        self.delta = _Automata(max(0, self.main.up_to_id - TAIL), stamp[0]).load(connection)
        self.stamp = stamp

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        folded, dashed = fold_for_matching(text), text.translate(_DASH_TABLE)
        found = self.main.matches(text, folded, dashed)
        if self.delta is not None:
            found += self.delta.matches(text, folded, dashed)
        return found


# Past this many terms added since the main automaton, a new one is built in the background.
DELTA_LIMIT = 20_000
# How many of the newest terms the small automaton re-reads: kept from when SQLite could hand a
# deleted newest row's id to the next insert (ids are never reused since migration cef07b438dbb).
TAIL = 1000
_MAX_PATTERN = 1000
_CACHE: StampedCache[_Recognizer] = StampedCache()
_SAVED = re.compile(r"^(\d+)-(\d+)\.arrays$")


def _folder(engine: Engine) -> Path | None:
    """``instance/automata/<database>``: one folder per database the instance serves."""
    if not has_app_context():
        return None
    url = engine.url.render_as_string(hide_password=True)
    return Path(current_app.instance_path) / "automata" / hashlib.sha256(url.encode()).hexdigest()[:16]


def _newest_saved(folder: Path | None, stamp: tuple[int, int]) -> _Automata | None:
    """The saved automata built nearest below ``stamp`` (None if there are none, or unreadable)."""
    if folder is None or not folder.is_dir():
        return None
    saved = sorted(((int(m[1]), int(m[2])) for m in map(_SAVED.match, os.listdir(folder)) if m), reverse=True)
    for up_to, revision in saved:
        if up_to <= stamp[0] and revision <= stamp[1]:
            try:
                return _Automata.read(folder, f"{up_to}-{revision}")
            except (OSError, ValueError, EOFError, pickle.UnpicklingError):
                continue  # a damaged file: an older one, or a build
    return None


def _build_and_save(engine: Engine, folder: Path | None) -> tuple[_Automata, tuple[int, int]]:
    """A full build on a connection of its own, saved for every process; older saves removed."""
    with engine.connect() as connection:
        stamp = tuple(connection.execute(_STAMP).one())
        stamp = (stamp[0] or 0, stamp[1] or 0)
        automata = _Automata(0, stamp[0]).load(connection)
    if folder is not None:
        name = f"{stamp[0]}-{stamp[1]}"
        automata.save(folder, name)
        for entry in os.listdir(folder):
            if not entry.startswith(name + ".") and not entry.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.remove(folder / entry)
    return automata, stamp  # type: ignore[return-value]


def _rebuild_in_background(engine: Engine, folder: Path | None, recognizer: _Recognizer) -> None:
    """Build a new main automaton while the old one (and its delta) keep answering."""
    recognizer.rebuilding = True

    def work() -> None:
        try:
            automata, stamp = _build_and_save(engine, folder)
            # Under an impossible stamp, so that the next read refreshes its delta.
            _CACHE.replace(engine, recognizer, _Recognizer(automata, (stamp[0], -1)), (stamp[0], -1))
        finally:
            recognizer.rebuilding = False

    threading.Thread(target=work, name="glossary-automata", daemon=True).start()


def _recognizer(session: Session) -> _Recognizer:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    stamp = glossary_stamp(session)
    return _CACHE.get(engine, stamp, lambda cached: _brought_up_to(session, engine, stamp, cached))


def _brought_up_to(session: Session, engine: Engine, stamp: Stamp, cached: _Recognizer | None) -> _Recognizer:
    """The recognizer for ``stamp``: the cached one with a new delta, or (first, or on a database that went
    back) a main automaton loaded from the newest save, or built."""
    if cached is None or stamp[0] < cached.main.up_to_id - TAIL:
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
        if stamp[0] - cached.main.up_to_id > DELTA_LIMIT and not cached.rebuilding:
            _rebuild_in_background(engine, _folder(engine), cached)
    return cached


def _on_word_boundary(text: str, start: int, end: int) -> bool:
    if _LATIN_WORD.match(text[start]) and start > 0 and _LATIN_WORD.match(text[start - 1]):
        return False
    return not (_LATIN_WORD.match(text[end - 1]) and end < len(text) and _LATIN_WORD.match(text[end]))


_STATUS_RANK = {"preferred": 0, "admitted": 1, "deprecated": 2}


_T = Term.__table__.c
# Every term of every concept that owns a matched term: the owners and the names in one read.
_FAMILY = select(_T.id, _T.concept_id, _T.lang, _T.kind, _T.status, _T.text).where(
    _T.concept_id.in_(select(_T.concept_id).where(_T.id.in_(bindparam("ids", expanding=True))).scalar_subquery())
)
# The spellings of terms whose ids SQLite may have handed on (the newest), to check them.
_SPELLINGS = select(_T.id, _T.text, _T.zh_hans, _T.zh_hant).where(_T.id.in_(bindparam("ids", expanding=True)))
_CHUNK = 2000


def _rows_by_id(session: Session, stmt: Any, term_ids: set[int]) -> dict[int, Any]:
    ordered = sorted(term_ids)
    rows: dict[int, Any] = {}
    for i in range(0, len(ordered), _CHUNK):
        rows.update((row.id, row) for row in session.connection().execute(stmt, {"ids": ordered[i : i + _CHUNK]}))
    return rows


def _still_matches(row: Any, span: str) -> bool:
    """The stored term still spells what the automaton found (checked where ids can be reused)."""
    written = fold_common(row.text)
    if span.translate(_DASH_TABLE) == written.translate(_DASH_TABLE):
        return True
    folded = fold_for_matching(span)
    return any(form and fold_for_matching(form) == folded for form in (written, row.zh_hans, row.zh_hant))


def _recognize(session: Session, text: str) -> tuple[list[Annotation], dict[int, Any]]:
    """The annotations, and the rows of every term of the concepts they belong to (by term id)."""
    recognizer = _recognizer(session)
    candidates = recognizer.matches(text)
    if not candidates:
        return [], {}
    # Each matched term as it is now: a deleted one is not there; one whose id SQLite may have
    # reused (the newest ids) must still spell the match.
    matched = {term_id for _, _, term_id in candidates}
    terms = _rows_by_id(session, _FAMILY, matched)
    suspect_above = recognizer.main.up_to_id - TAIL
    spellings = _rows_by_id(session, _SPELLINGS, {i for i in matched if i > suspect_above and i in terms})
    taken = bytearray(len(text))
    chosen = []
    for start, end, term_id in sorted(candidates, key=lambda m: (m[0] - m[1], m[0])):
        row = terms.get(term_id)
        if row is None or any(taken[start:end]):
            continue
        if term_id in spellings and not _still_matches(spellings[term_id], text[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(Annotation(start, end, text[start:end], row.lang, term_id, row.concept_id))
    chosen.sort(key=lambda a: a.start)
    return chosen, terms


def find_terms(session: Session, text: str) -> list[Annotation]:
    """Every glossary term in ``text``: longest wins, offsets in code points, in text order."""
    return _recognize(session, text)[0]


def _preferred_names(terms: dict[int, Any]) -> dict[tuple[int, str], str]:
    """Preferred full names by (concept id, lang): the first name in the rulebook's order."""
    best: dict[tuple[int, str], str] = {}
    for row in ordered_terms([row for row in terms.values() if row.kind != "abbreviation"]):
        best.setdefault((row.concept_id, row.lang), row.text)
    return best


def annotate_text(session: Session, text: str) -> list[dict[str, Any]]:
    """Plain dicts for the API: offsets, the matched text, the glossary term, the concept, the translation."""
    found, terms = _recognize(session, text)
    names = _preferred_names(terms)
    results = []
    for a in found:
        zh, en = names.get((a.concept_id, "zh")), names.get((a.concept_id, "en"))
        results.append(
            {
                "start": a.start,
                "end": a.end,
                "text": a.text,
                "lang": a.lang,
                "term": terms[a.term_id].text,
                "concept_id": a.concept_id,
                "zh": zh,
                "en": en,
                "translation": zh if a.lang == "en" else en,
                "url": concept_url(a.concept_id),
            }
        )
    return results
