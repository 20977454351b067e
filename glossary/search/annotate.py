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

The automata are cached per database engine and rebuilt when the glossary's
stamp — ``max(term.id)`` and ``max(revision.id)``, two primary-key look-ups —
changes: every write through the services records a revision, deletions too.
Ids found in the automata are turned into concepts with two Core queries, so a
concept deleted since the build is simply skipped.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import ahocorasick
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..models import Revision, Term
from ..textkeys import fold_common
from .documents import load_concept_documents

__all__ = ["MAX_ANNOTATE_CHARS", "Annotation", "annotate_text", "find_terms", "fold_for_matching",
           "glossary_stamp"]

MAX_ANNOTATE_CHARS = 200_000
_FOLD_TABLE = str.maketrans({c: " " for c in "-/_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u00a0\t\n\r"})
_DASH_TABLE = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"})
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]")
_SHORT_CAPS = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,5}$")


def fold_for_matching(text: str) -> str:
    """Lower-case, dashes/slashes/underscores as spaces, fullwidth Latin as ASCII; same length."""
    folded = text.lower()
    if len(folded) != len(text):  # a few letters lower-case to two code points (İ)
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    folded = folded.translate(_FOLD_TABLE)
    if any("\uff01" <= c <= "\uff5e" for c in folded):
        folded = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in folded)
    return folded


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    text: str
    lang: str
    term_id: int
    concept_id: int


class _Automata:
    def __init__(self, stamp: tuple[int, int]) -> None:
        self.stamp = stamp
        self.folded = ahocorasick.Automaton()
        self.exact = ahocorasick.Automaton()
        # Term id, concept id and language by value index, as compact arrays (3M terms at 1M concepts).
        self.term_ids = array("q")
        self.concept_ids = array("q")
        self.langs = bytearray()

    def add(self, term_id: int, concept_id: int, lang: str, kind: str, text: str, zh_hans: str | None,
            zh_hant: str | None) -> None:
        value = len(self.term_ids)
        self.term_ids.append(term_id)
        self.concept_ids.append(concept_id)
        self.langs.append(lang == "zh")
        text = fold_common(text)
        if kind == "abbreviation" and _SHORT_CAPS.match(text):
            self.exact.add_word(text.translate(_DASH_TABLE), (value, len(text)))
            return
        forms = {text}
        if lang == "zh":
            forms.update(f for f in (zh_hans, zh_hant) if f)
        for form in forms:
            folded = fold_for_matching(form)
            if len(folded.strip()) >= 2 or (lang == "zh" and folded.strip()):
                # An existing longer or equal pattern keeps its first term (the older one).
                if folded not in self.folded:
                    self.folded.add_word(folded, (value, len(folded)))

    def finish(self) -> None:
        for automaton in (self.folded, self.exact):
            if len(automaton):
                automaton.make_automaton()


def glossary_stamp(session: Session) -> tuple[int, int]:
    """What changes whenever a term is added or a concept is edited or deleted: two index reads."""
    term = session.scalar(select(func.max(Term.id))) or 0
    revision = session.scalar(select(func.max(Revision.id))) or 0
    return (term, revision)


_CACHE: WeakKeyDictionary[Engine, _Automata] = WeakKeyDictionary()
_LOCK = threading.Lock()


def _automata(session: Session) -> _Automata:
    engine = session.get_bind()
    stamp = glossary_stamp(session)
    cached = _CACHE.get(engine)
    if cached is not None and cached.stamp == stamp:
        return cached
    with _LOCK:
        cached = _CACHE.get(engine)
        if cached is not None and cached.stamp == stamp:
            return cached
        built = _Automata(stamp)
        stmt = (select(Term.id, Term.concept_id, Term.lang, Term.kind, Term.text, Term.zh_hans, Term.zh_hant)
                .order_by(Term.id).execution_options(yield_per=50_000))
        for row in session.execute(stmt):
            built.add(*row)
        built.finish()
        _CACHE[engine] = built
        return built


def _on_word_boundary(text: str, start: int, end: int) -> bool:
    if _LATIN_WORD.match(text[start]) and start > 0 and _LATIN_WORD.match(text[start - 1]):
        return False
    return not (_LATIN_WORD.match(text[end - 1]) and end < len(text) and _LATIN_WORD.match(text[end]))


def _matches(automaton: Any, haystack: str, text: str) -> list[tuple[int, int, int]]:
    if not len(automaton) or automaton.kind != ahocorasick.AHOCORASICK:
        return []
    found = []
    for last, (value, length) in automaton.iter_long(haystack):
        start, end = last - length + 1, last + 1
        if _on_word_boundary(text, start, end):
            found.append((start, end, value))
    return found


def find_terms(session: Session, text: str) -> list[Annotation]:
    """Every glossary term in ``text``: longest wins, offsets in code points, in text order."""
    automata = _automata(session)
    candidates = _matches(automata.folded, fold_for_matching(text), text)
    candidates += _matches(automata.exact, text.translate(_DASH_TABLE), text)
    taken = bytearray(len(text))
    chosen = []
    for start, end, value in sorted(candidates, key=lambda m: (m[0] - m[1], m[0])):
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        lang = "zh" if automata.langs[value] else "en"
        chosen.append(Annotation(start, end, text[start:end], lang, automata.term_ids[value],
                                 automata.concept_ids[value]))
    chosen.sort(key=lambda a: a.start)
    return chosen


def _translation(document: dict[str, Any], lang: str) -> str | None:
    """The other language's preferred name (for an abbreviation: its expansion too)."""
    return document["zh"] if lang == "en" else document["en"]


def annotate_text(session: Session, text: str) -> list[dict[str, Any]]:
    """Plain dicts for the API: offsets, the matched text, the concept and its translation."""
    found = find_terms(session, text)
    documents = load_concept_documents(session, {a.concept_id for a in found})
    results = []
    for a in found:
        document = documents.get(a.concept_id)
        if document is None:
            continue
        results.append({"start": a.start, "end": a.end, "text": a.text, "lang": a.lang,
                        "translation": _translation(document, a.lang), "concept": document})
    return results

