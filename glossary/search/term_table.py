"""A table of term spellings that finds every one of them in a text, kept on disk and memory-mapped.

Term recognition used to build an Aho–Corasick automaton in every process: at a
million concepts that is a minute of building and 2.5 GB per worker, since an
automaton lives in the memory of the process that made or unpickled it. This
table holds instead, per spelling, one 64-bit hash and the term's id, sorted,
plus two bitmaps, all plain arrays: saved as ``.npy`` files and opened with
``mmap``, they cost a new worker nothing to load, and the pages (a few dozen MB
at a million concepts) are shared by every worker through the page cache.

Finding terms in a text hashes, at every position, the substrings of every
length some spelling has, in a few vectorised passes:

* a substring's hash comes from the text's prefix sums in two multiplications
  (a polynomial hash modulo 2**64 over code points, with the base's inverse,
  so that a substring's hash does not depend on where it starts);
* positions whose first ``PREFIX`` characters begin no spelling longer than
  that are dropped before the longer lengths are tried (a bitmap);
* a bitmap over the hashes' top bits drops nearly every other candidate
  before a binary search in the sorted hashes.

A hash can collide, so callers check each match against the stored term before
they report it (``annotate`` does). Offsets are code points (Python indices).
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["PREFIX", "PREFIXES", "Matches", "TermTable"]

_U64 = np.uint64
_MASK = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
# Spellings longer than each of these are looked for only where the first so many characters of
# such a spelling stand (a bitmap per prefix length, each narrowing the positions the next starts from).
PREFIXES = (4, 8, 16, 32)
PREFIX = PREFIXES[0]
# Candidate (position, length) pairs hashed at once: bounds the temporary arrays for long texts.
_BLOCK = 1 << 18
_FORMAT = 2


def _mix(h: np.ndarray) -> np.ndarray:
    """Bring the low bits of a short string's hash up into the top bits the bitmaps index (invertible).

    A polynomial hash's top bits already depend on every character but the last; one xor-shift and
    a multiplication by an odd constant spread that last one (a one-character spelling's hash is small).
    """
    return (h ^ (h >> _U64(29))) * _U64(0xBF58476D1CE4E5B9)


def _codes(text: str) -> np.ndarray:
    """Code points plus one (so that U+0000 still counts), as unsigned 64-bit integers."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(_U64) + _U64(1)


def hash_strings(strings: Sequence[str]) -> np.ndarray:
    """The hash of each string (Horner's rule, vectorised over the strings of each length)."""
    out = np.zeros(len(strings), dtype=_U64)
    by_length: dict[int, list[int]] = defaultdict(list)
    for index, string in enumerate(strings):
        by_length[len(string)].append(index)
    base = _U64(_BASE)
    for length, indices in by_length.items():
        if not length:
            continue
        codes = _codes("".join(strings[i] for i in indices)).reshape(len(indices), length)
        h = np.zeros(len(indices), dtype=_U64)
        for column in range(length):
            h = h * base + codes[:, column]
        out[np.asarray(indices)] = _mix(h)
    return out


class _Powers:
    """``BASE**k`` and ``BASE**-k`` modulo 2**64 for k below some bound, grown on demand (shared)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.up, self.down = self._table(1024)

    @staticmethod
    def _table(size: int) -> tuple[np.ndarray, np.ndarray]:
        up, down = np.empty(size, dtype=_U64), np.empty(size, dtype=_U64)
        up[0] = down[0] = 1
        up[1:] = _BASE
        down[1:] = _BASE_INVERSE
        return np.cumprod(up, dtype=_U64), np.cumprod(down, dtype=_U64)

    def at_least(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        up, down = self.up, self.down
        if len(up) < size:
            with self._lock:
                if len(self.up) < size:
                    self.up, self.down = self._table(1 << (size - 1).bit_length())
                up, down = self.up, self.down
        return up, down


_POWERS = _Powers()


class _Text:
    """A text's prefix sums: the hash of any substring in two multiplications."""

    def __init__(self, text: str) -> None:
        codes = _codes(text)
        self.size = len(codes)
        self.up, down = _POWERS.at_least(self.size + 1)
        self.sums = np.zeros(self.size + 1, dtype=_U64)
        np.cumsum(codes * down[: self.size], dtype=_U64, out=self.sums[1:])

    def hashes(self, starts: np.ndarray, lengths: np.ndarray | int) -> np.ndarray:
        ends = starts + lengths
        return _mix(self.up[ends - 1] * (self.sums[ends] - self.sums[starts]))


def _bitmap(hashes: np.ndarray) -> np.ndarray:
    """One bit per value of the hashes' top bits, 64 to 128 bits per hash (a one-function Bloom filter
    that lets through 1 to 1.5 % of the substrings that are no spelling: each costs a binary search)."""
    bits = max(16, int(len(hashes) * 64).bit_length())
    bitmap = np.zeros(1 << (bits - 3), dtype=np.uint8)
    index = hashes >> _U64(64 - bits)
    np.bitwise_or.at(bitmap, index >> _U64(3), np.left_shift(1, index & _U64(7)).astype(np.uint8))
    return bitmap


def _in_bitmap(bitmap: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    bits = (len(bitmap) * 8).bit_length() - 1
    index = hashes >> _U64(64 - bits)
    return (bitmap[index >> _U64(3)] >> (index & _U64(7)).astype(np.uint8)) & np.uint8(1) == 1


@dataclass(frozen=True)
class Matches:
    """Every spelling found: parallel arrays of start offsets, lengths and term ids (unordered)."""

    starts: np.ndarray
    lengths: np.ndarray
    term_ids: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)


_NO_MATCHES = Matches(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
_ARRAYS = ("hashes", "term_ids", "lengths", "bitmap", *(f"prefix{n}" for n in PREFIXES))


@dataclass(frozen=True)
class TermTable:
    """Spellings (as hashes, sorted) and the term id of each; one id per spelling, the oldest."""

    hashes: np.ndarray
    term_ids: np.ndarray
    lengths: np.ndarray  # every spelling length, ascending
    bitmap: np.ndarray
    # Per prefix length n of PREFIXES: over the first n characters of the spellings longer than n.
    prefix_bitmaps: tuple[np.ndarray, ...]

    @classmethod
    def build(cls, spellings: Sequence[str], term_ids: Sequence[int]) -> TermTable:
        hashes = hash_strings(spellings)
        ids = np.asarray(term_ids, dtype=np.int64)
        order = np.lexsort((ids, hashes))  # by hash, then oldest term first
        hashes, ids = hashes[order], ids[order]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = hashes[1:] != hashes[:-1]
        lengths = np.unique(np.fromiter((len(s) for s in spellings), dtype=np.int64, count=len(spellings)))
        prefixes = tuple(_bitmap(np.unique(hash_strings([s[:n] for s in spellings if len(s) > n]))) for n in PREFIXES)
        return cls(hashes[first], ids[first], lengths[lengths > 0], _bitmap(hashes), prefixes)

    def __len__(self) -> int:
        return len(self.hashes)

    def find(self, text: str) -> Matches:
        """Every (start, length, term id) whose substring hashes as a spelling of the table."""
        if not len(self.hashes) or not text:
            return _NO_MATCHES
        prepared = _Text(text)
        starts = np.arange(prepared.size, dtype=np.int64)
        found = [self._probe(prepared, starts, self.lengths[self.lengths <= PREFIXES[0]])]
        for level, (shortest, bitmap) in enumerate(zip(PREFIXES, self.prefix_bitmaps, strict=True)):
            longer = self.lengths[self.lengths > shortest]
            if not len(longer):
                break
            # Only where the first `shortest` characters begin some longer spelling.
            starts = starts[: np.searchsorted(starts, prepared.size - shortest, side="right")]
            starts = starts[_in_bitmap(bitmap, prepared.hashes(starts, shortest))]
            upto = PREFIXES[level + 1] if level + 1 < len(PREFIXES) else longer[-1]
            found.append(self._probe(prepared, starts, longer[longer <= upto]))
        parts = [part for part in found if len(part)]
        if not parts:
            return _NO_MATCHES
        columns = ("starts", "lengths", "term_ids")
        return Matches(*(np.concatenate([getattr(part, name) for part in parts]) for name in columns))

    def _probe(self, text: _Text, starts: np.ndarray, lengths: np.ndarray) -> Matches:
        """Try every length at every start, a block of pairs at a time."""
        if not len(starts) or not len(lengths):
            return _NO_MATCHES
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        per_block = max(1, _BLOCK // len(lengths))
        for first in range(0, len(starts), per_block):
            block = starts[first : first + per_block]
            pair_starts = np.repeat(block, len(lengths))
            pair_lengths = np.tile(lengths, len(block))
            fits = pair_starts + pair_lengths <= text.size
            pair_starts, pair_lengths = pair_starts[fits], pair_lengths[fits]
            hashes = text.hashes(pair_starts, pair_lengths)
            maybe = _in_bitmap(self.bitmap, hashes)
            # In hash order: each binary search starts where the last ended (three times faster here).
            order = np.argsort(hashes[maybe])
            pair_starts, pair_lengths = pair_starts[maybe][order], pair_lengths[maybe][order]
            hashes = hashes[maybe][order]
            where = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
            hit = self.hashes[where] == hashes
            out.append((pair_starts[hit], pair_lengths[hit], self.term_ids[where[hit]]))
        return Matches(*(np.concatenate(column) for column in zip(*out, strict=True)))

    # -- on disk ------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        named = {"hashes": self.hashes, "term_ids": self.term_ids, "lengths": self.lengths, "bitmap": self.bitmap}
        return named | {f"prefix{n}": bitmap for n, bitmap in zip(PREFIXES, self.prefix_bitmaps, strict=True)}

    def save(self, folder: Path, name: str) -> None:
        for array, values in self._arrays().items():
            np.save(folder / f"{name}.{array}.npy", values, allow_pickle=False)

    @classmethod
    def open(cls, folder: Path, name: str) -> TermTable:
        """The saved arrays, memory-mapped read-only; ValueError if they are damaged or disagree."""
        # Plain array views of the maps (np.memmap's own indexing costs tens of microseconds a call).
        arrays = {
            array: np.asarray(np.load(folder / f"{name}.{array}.npy", mmap_mode="r", allow_pickle=False))
            for array in _ARRAYS
        }
        table = cls(
            arrays["hashes"],
            arrays["term_ids"],
            arrays["lengths"],
            arrays["bitmap"],
            tuple(arrays[f"prefix{n}"] for n in PREFIXES),
        )
        bitmap_sizes_ok = all(
            len(b) >= 1 << 13 and len(b) & (len(b) - 1) == 0 for b in (table.bitmap, *table.prefix_bitmaps)
        )
        if len(table.hashes) != len(table.term_ids) or not bitmap_sizes_ok:
            raise ValueError(f"{folder / name}: the saved arrays disagree")
        return table


def save_tables(folder: Path, tables: dict[str, TermTable], meta: dict[str, int]) -> None:
    """Write the tables into ``folder`` (which must not exist yet) through a temporary folder renamed
    into place last, so that a reader sees the whole of it or nothing."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.mkdir()
    for name, table in tables.items():
        table.save(temporary, name)
    (temporary / "meta.json").write_text(
        json.dumps({"format": _FORMAT, **meta, "sizes": {n: len(t) for n, t in tables.items()}})
    )
    try:
        os.rename(temporary, folder)
    except OSError:  # another process saved the same state first: theirs is as good
        for entry in temporary.iterdir():
            entry.unlink()
        temporary.rmdir()


def open_tables(folder: Path, names: Sequence[str]) -> tuple[dict[str, TermTable], dict[str, int]]:
    """The tables saved in ``folder`` and their metadata; ValueError or OSError when damaged."""
    meta = json.loads((folder / "meta.json").read_text())
    if meta.get("format") != _FORMAT:
        raise ValueError(f"{folder}: saved in another format")
    tables = {name: TermTable.open(folder, name) for name in names}
    if any(len(tables[name]) != meta["sizes"][name] for name in names):
        raise ValueError(f"{folder}: the saved arrays are incomplete")
    return tables, {key: value for key, value in meta.items() if isinstance(value, int)}
