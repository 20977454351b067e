"""The glossary stamp, and the per-process caches keyed by it (answers, the term-recognition tables).

``(max(term.id), max(revision.id))``: two primary-key look-ups, microseconds.
Every write through the services records a revision, so any edit, addition or
deletion changes it. Ids are never reused (``AUTOINCREMENT`` on SQLite,
sequences on PostgreSQL), so a term id names one spelling forever.

``StampedCache`` is the one home of "a value per database engine, built for a
stamp, rebuilt when the stamp moves, guarded by a lock": ``result_cache`` keeps
its answers in one, ``annotate`` its recognition tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..models import Revision, Term

__all__ = ["Stamp", "StampedCache", "glossary_stamp"]

Stamp = tuple[int, int]
V = TypeVar("V")

_STAMP = select(
    select(func.max(Term.__table__.c.id)).scalar_subquery(), select(func.max(Revision.__table__.c.id)).scalar_subquery()
)


def glossary_stamp(session: Session) -> tuple[int, int]:
    """``(max(term.id), max(revision.id))`` as of this session's transaction."""
    newest_term, newest_revision = session.connection().execute(_STAMP).one()
    return newest_term or 0, newest_revision or 0


class StampedCache(Generic[V]):
    """One value per database engine, built for a glossary stamp and rebuilt once when the stamp moves.

    ``get`` answers from memory, without the lock, while the stamp asked for is
    the one the value was built for. Otherwise one thread builds under the lock
    and any other asking meanwhile waits for that build rather than making its
    own. The builder is handed the previous value (None at first), so it may
    bring it up to date instead of starting afresh. Engines are held weakly: a
    disposed engine's value goes with it.
    """

    def __init__(self) -> None:
        # Re-entrant: a builder (or a value's own bookkeeping under ``lock``) may look at the cache.
        self.lock = threading.RLock()
        self._slots: WeakKeyDictionary[Engine, tuple[Stamp, V]] = WeakKeyDictionary()

    def get(self, engine: Engine, stamp: Stamp, build: Callable[[V | None], V]) -> V:
        """The value for ``engine`` at ``stamp``: the cached one, or ``build(previous)``'s, built once."""
        slot = self._slots.get(engine)
        if slot is not None and slot[0] == stamp:
            return slot[1]
        with self.lock:
            slot = self._slots.get(engine)  # another thread may have built it while this one waited
            if slot is None or slot[0] != stamp:
                slot = self._slots[engine] = (stamp, build(slot[1] if slot is not None else None))
            return slot[1]

    def peek(self, engine: Engine) -> V | None:
        """The value held for ``engine``, whatever its stamp (None if there is none)."""
        slot = self._slots.get(engine)
        return slot[1] if slot is not None else None

    def replace(self, engine: Engine, expected: V | None, value: V, stamp: Stamp) -> bool:
        """Put ``value`` (built for ``stamp``) in place of ``expected`` (None: of nothing held); False if
        the cache has moved on."""
        with self.lock:
            slot = self._slots.get(engine)
            if (slot[1] if slot is not None else None) is not expected:
                return False
            self._slots[engine] = (stamp, value)
            return True

    def clear(self) -> None:
        """Forget every value (what a new process starts with)."""
        with self.lock:
            self._slots.clear()
