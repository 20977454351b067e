"""An in-process index for the query forms that no B-tree answers.

Exact and prefix look-ups (Chinese key, English key, abbreviation, pinyin,
initials) are range scans on the ``term`` table's indexes. Three forms are not:

* **Chinese substring** (``肾上腺`` inside ``下丘脑-垂体-肾上腺轴``): a bigram
  index over the simplified keys (bigram → positions, as integer arrays); a
  query of two or more characters reads the posting list of its rarest bigram
  and checks each key with ``in``. A one-character query, which has no bigram,
  scans all keys joined into one string (``"\\0key1\\0key2…"``) with
  ``str.find``, stopping at the form limit, and ``bisect`` on the start offsets
  turns a position into a term.
* **English word prefix** (``fatty`` in ``short chain fatty acid``): a sorted
  vocabulary of the words of English keys, with a posting list (term ids) per
  word; a prefix is a ``bisect`` range of the vocabulary.
* **Fuzzy English** (``oxytocine``, ``Lachnospiracea``): the same vocabulary
  bucketed by word length; RapidFuzz's Levenshtein with a cut-off compares a
  query word only with words of similar length, and the posting lists of the
  near words give the candidate terms.

The index only proposes term ids. The caller re-reads those rows from the
database and re-checks the match on the stored key, so a deleted or changed
term can never be returned from a stale index.

Freshness: one index per database engine, stamped with ``max(term.id)`` and
``max(revision.id)`` (two primary-key look-ups, microseconds; every write through
the services records a revision). Terms are never re-keyed in place — the
services replace a changed text by a new row — so when the stamp moves, rows
with new ids are appended, and the newest ``TAIL`` rows are compared with the
keys the index holds for them, because SQLite gives a deleted newest row's id
to the next insert. A stamp far below the index (a database emptied and
refilled) rebuilds from scratch. The first query of a process pays the build
(about 13 s at a million concepts; see bench/search.py).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from weakref import WeakKeyDictionary

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..models import Revision, Term

__all__ = ["TAIL", "TermIndex", "glossary_stamp", "term_index"]

_SEPARATOR = "\x00"


def _words(key: str) -> list[str]:
    return [w for w in key.split(" ") if w]


class TermIndex:
    """Chinese keys with a bigram index; English words with posting lists."""

    def __init__(self) -> None:
        self.max_id = 0
        self.stamp = (0, 0)
        # The newest terms' keys by id, to notice a term changed under a reused id.
        self._tail: dict[int, str] = {}
        self._zh_parts: list[str] = []
        self._zh_ids = array("q")
        # Bigram → positions in _zh_parts; one-character queries scan the joined keys instead.
        self._zh_grams: dict[str, array] = {}
        self._zh_blob = _SEPARATOR
        self._zh_starts = array("q")
        self._zh_end = 1
        self._postings: dict[str, array] = {}
        self._vocabulary: list[str] = []
        self._by_length: dict[int, list[str]] = defaultdict(list)

    # -- building -------------------------------------------------------
    def add(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """Add ``(term id, lang, kind, key)`` rows (ids increasing)."""
        new_words: list[str] = []
        added_zh = False
        grams, postings = self._zh_grams, self._postings
        for term_id, lang, kind, key in rows:
            self.max_id = max(self.max_id, term_id)
            self._tail[term_id] = key
            if not key:
                continue
            if lang == "zh":
                position = len(self._zh_parts)
                self._zh_parts.append(key)
                self._zh_ids.append(term_id)
                self._zh_starts.append(self._zh_end)
                self._zh_end += len(key) + 1
                for gram in {key[i:i + 2] for i in range(len(key) - 1)}:
                    found = grams.get(gram)
                    if found is None:
                        grams[gram] = found = array("i")
                    found.append(position)
                added_zh = True
            elif kind != "abbreviation":
                for word in set(_words(key)):
                    found = postings.get(word)
                    if found is None:
                        postings[word] = found = array("q")
                        new_words.append(word)
                    found.append(term_id)
        if len(self._tail) > TAIL:
            self._tail = dict(sorted(self._tail.items())[-TAIL:])
        if added_zh:
            self._zh_blob = _SEPARATOR + _SEPARATOR.join(self._zh_parts) + _SEPARATOR
        if new_words:
            self._vocabulary = sorted(postings)
            for word in new_words:
                self._by_length[len(word)].append(word)

    # -- queries --------------------------------------------------------
    def zh_containing(self, needle: str, limit: int) -> Iterator[int]:
        """Ids of Chinese terms whose key contains ``needle`` (at most ``limit``)."""
        if len(needle) == 1:
            yield from self._zh_scan(needle, limit)
            return
        grams = [self._zh_grams.get(needle[i:i + 2]) for i in range(len(needle) - 1)]
        if not all(grams):
            return
        rarest = min(grams, key=len)  # type: ignore[arg-type]
        parts, found = self._zh_parts, 0
        for position in rarest:  # type: ignore[union-attr]
            if needle in parts[position]:
                yield self._zh_ids[position]
                found += 1
                if found >= limit:
                    return

    def _zh_scan(self, needle: str, limit: int) -> Iterator[int]:
        """One character: ``str.find`` over the joined keys, a term at a time."""
        blob, starts, found = self._zh_blob, self._zh_starts, 0
        position = blob.find(needle, 1)
        while position != -1 and found < limit:
            index = bisect_right(starts, position) - 1
            yield self._zh_ids[index]
            found += 1
            following = index + 1
            if following >= len(starts):
                return
            position = blob.find(needle, starts[following])

    def tail_key(self, term_id: int) -> str | None:
        return self._tail.get(term_id)

    def has_word(self, word: str) -> bool:
        return word in self._postings

    def words_with_prefix(self, prefix: str, limit: int = 200) -> list[str]:
        """Vocabulary words starting with ``prefix`` (shortest-first within the range)."""
        vocabulary = self._vocabulary
        start = bisect_left(vocabulary, prefix)
        end = bisect_left(vocabulary, prefix + "\U0010ffff", start)
        return vocabulary[start:min(end, start + limit)]

    def near_words(self, word: str, limit: int = 20) -> list[str]:
        """Vocabulary words within a small edit distance (1 up to 5 letters, 2 to 12, then 3)."""
        if len(word) < 4:
            return []
        distance = 1 if len(word) <= 5 else 2 if len(word) <= 12 else 3
        near: list[tuple[int, str]] = []
        for length in range(len(word) - distance, len(word) + distance + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for choice, score, _ in process.extract(word, bucket, scorer=Levenshtein.distance,
                                                    score_cutoff=distance, limit=limit):
                near.append((score, choice))
        near.sort()
        return [w for _, w in near[:limit]]

    def postings(self, words: Iterable[str], limit: int) -> set[int]:
        """Term ids having any of ``words`` (at most ``limit``: a common word is not read whole)."""
        found: set[int] = set()
        for word in words:
            ids = self._postings.get(word)
            if ids:
                found.update(ids[:limit - len(found)])
                if len(found) >= limit:
                    break
        return found

    def posting_size(self, words: Iterable[str]) -> int:
        return sum(len(self._postings.get(w, ())) for w in words)

    def terms_with_words(self, word_sets: list[list[str]], limit: int) -> set[int]:
        """Term ids that have, for every query word, one of its accepted words.

        Candidates come from the rarest query word; the others filter them. Reading is
        bounded, so a query of very common words sees only part of their terms.
        """
        ranked = sorted(word_sets, key=self.posting_size)
        candidates = self.postings(ranked[0], limit * 5)
        for accepted in ranked[1:]:
            if not candidates:
                break
            candidates &= self.postings(accepted, limit * 50)
        return set(sorted(candidates)[:limit])


_STAMP = select(select(func.max(Term.__table__.c.id)).scalar_subquery(),
                select(func.max(Revision.__table__.c.id)).scalar_subquery())
# How many of the newest terms are re-read when something changed without a new id: SQLite gives a
# deleted newest row's id to the next insert, so a changed term can hide under an old id.
TAIL = 1000


def glossary_stamp(session: Session) -> tuple[int, int]:
    """``(max(term.id), max(revision.id))``: two primary-key look-ups. Every write through the
    services records a revision, so any edit, addition or deletion changes the stamp."""
    newest_term, newest_revision = session.connection().execute(_STAMP).one()
    return newest_term or 0, newest_revision or 0


def _rows_after(session: Session, after_id: int) -> Iterator[tuple[int, str, str, str]]:
    t = Term.__table__.c
    stmt = select(t.id, t.lang, t.kind, t.key).where(t.id > after_id).order_by(t.id)
    result = session.connection().execute(stmt, execution_options={"yield_per": 50_000})
    for rows in result.partitions():
        yield from rows


_INDEXES: WeakKeyDictionary[Engine, TermIndex] = WeakKeyDictionary()
_LOCK = threading.Lock()


def term_index(session: Session) -> TermIndex:
    """The current index for this session's database (built, topped up or patched as needed)."""
    engine = session.get_bind()
    stamp = glossary_stamp(session)
    index = _INDEXES.get(engine)
    if index is not None and index.stamp == stamp:
        return index
    with _LOCK:
        index = _INDEXES.get(engine)
        if index is None or stamp[0] < index.max_id - TAIL:
            index = TermIndex()
            index.add(_rows_after(session, 0))
            _INDEXES[engine] = index
        elif index.stamp != stamp:
            # New ids are appended; the newest TAIL rows are compared with what the index holds,
            # and any that changed under a reused id are added again (stale entries fail the check
            # that every caller makes on the stored key).
            index.add(row for row in _rows_after(session, max(0, index.max_id - TAIL))
                      if index.tail_key(row[0]) != row[3])
        index.stamp = stamp
        return index
