"""A small per-process cache of answers, emptied whenever the glossary changes.

Popular queries repeat (a plugin looks the same words up over and over), and
most of a search's cost — the statement, loading twenty concepts, writing the
JSON — gives the same bytes until the glossary changes. Entries are kept per
database engine under the glossary stamp (``max(term.id)``, ``max(revision.id)``:
two primary-key reads), so any write through the services, in any process,
makes every process drop its entries on its next read. Least recently used
entries go first past ``CAPACITY``.

The stamp itself is read at most every ``STAMP_TTL`` seconds, and at once after
any commit in this process: a write made here is seen by the next read here,
one made by another worker within ``STAMP_TTL`` — well inside the
``Cache-Control: max-age`` the API already gives out. A cached read then costs
no database round trip at all.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .stamp import StampedCache, glossary_stamp

__all__ = ["CAPACITY", "STAMP_TTL", "remember"]

CAPACITY = 2048
STAMP_TTL = 0.5
T = TypeVar("T")


class _Entries:
    """One engine's answers for one glossary stamp, and when (time, commits seen) the stamp was last read."""

    def __init__(self, commits: int) -> None:
        self.checked = (time.monotonic(), commits)
        self.items: OrderedDict[Hashable, object] = OrderedDict()


_CACHES: StampedCache[_Entries] = StampedCache()
_COMMITS = [0]  # commits seen in this process


@event.listens_for(Session, "after_commit")
def _count_commit(_session: Session) -> None:
    _COMMITS[0] += 1


def _current(session: Callable[[], Session], engine: Engine) -> _Entries:
    """The entries for this engine, after reading the stamp if it may have moved."""
    entries = _CACHES.peek(engine)
    if entries is not None and entries.checked[1] == _COMMITS[0] and time.monotonic() - entries.checked[0] < STAMP_TTL:
        return entries
    commits = _COMMITS[0]
    stamp = glossary_stamp(session())
    with _CACHES.lock:
        entries = _CACHES.get(engine, stamp, lambda _previous: _Entries(commits))
        entries.checked = (time.monotonic(), commits)
        return entries


def remember(engine: Engine, session: Callable[[], Session], key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key`` as of the glossary's current state (computed at most once).

    ``session`` is called only when the stamp must be read again: an answer found in memory opens
    no session at all."""
    entries = _current(session, engine)
    with _CACHES.lock:
        if key in entries.items:
            entries.items.move_to_end(key)
            return entries.items[key]  # type: ignore[return-value]
    value = compute()
    with _CACHES.lock:
        if _CACHES.peek(engine) is entries:  # not if the glossary changed meanwhile
            entries.items[key] = value
            if len(entries.items) > CAPACITY:
                entries.items.popitem(last=False)
    return value
