"""``StampedCache``: one value per engine and glossary stamp, rebuilt once when the stamp moves.

Threads are lined up with events, never with sleeps: the second thread is known
to be waiting for the lock because the lock itself says so.
"""

from __future__ import annotations

import threading

from sqlalchemy import create_engine

from glossary.search.stamp import StampedCache

WAIT = 30  # seconds: a safety net for a broken test, never what the test waits for


class Built:
    """A value that remembers which build made it and from what."""

    def __init__(self, number: int, previous: Built | None) -> None:
        self.number = number
        self.previous = previous


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, previous: Built | None) -> Built:
        self.calls += 1
        return Built(self.calls, previous)


class ObservedLock:
    """The cache's lock, telling when a thread other than its holder starts waiting for it."""

    def __init__(self) -> None:
        self.inner = threading.RLock()
        self.holder: int | None = None
        self.waiting = threading.Event()

    def __enter__(self) -> ObservedLock:
        if self.holder is not None and self.holder != threading.get_ident():
            self.waiting.set()
        self.inner.acquire()
        self.holder = threading.get_ident()
        return self

    def __exit__(self, *_exc) -> None:
        self.holder = None
        self.inner.release()


def test_a_value_is_built_once_per_stamp_and_from_the_previous_one():
    cache: StampedCache[Built] = StampedCache()
    engine, build = create_engine("sqlite://"), Builder()
    first = cache.get(engine, (1, 1), build)
    assert cache.get(engine, (1, 1), build) is first and build.calls == 1
    moved = cache.get(engine, (2, 5), build)
    assert build.calls == 2 and moved.previous is first and cache.peek(engine) is moved
    assert cache.get(engine, (2, 5), build) is moved and build.calls == 2
    # The stamp going back (a database restored) is a move too.
    assert cache.get(engine, (1, 1), build).previous is moved and build.calls == 3


def test_each_engine_has_its_own_value():
    cache: StampedCache[Built] = StampedCache()
    one, two, build = create_engine("sqlite://"), create_engine("sqlite://"), Builder()
    a, b = cache.get(one, (1, 1), build), cache.get(two, (1, 1), build)
    assert a is not b and b.previous is None and build.calls == 2
    cache.clear()
    assert cache.peek(one) is None and cache.get(one, (1, 1), build).previous is None


def test_replace_takes_the_place_only_of_the_value_expected():
    cache: StampedCache[Built] = StampedCache()
    engine, build = create_engine("sqlite://"), Builder()
    old = cache.get(engine, (3, 3), build)
    stranger = Built(99, None)
    assert not cache.replace(engine, stranger, Built(100, None), (3, -1))
    assert cache.peek(engine) is old
    fresh = Built(101, None)
    assert cache.replace(engine, old, fresh, (3, -1))
    assert cache.peek(engine) is fresh
    # Under its own stamp: the next read at (3, 3) brings ``fresh`` up to date.
    assert cache.get(engine, (3, 3), build).previous is fresh


def test_two_threads_asking_after_the_stamp_moved_build_once():
    cache: StampedCache[Built] = StampedCache()
    lock = cache.lock = ObservedLock()  # type: ignore[assignment]
    engine = create_engine("sqlite://")
    building, release = threading.Event(), threading.Event()
    calls: list[str] = []
    first = cache.get(engine, (1, 1), lambda previous: Built(0, previous))

    def slow_build(previous: Built | None) -> Built:
        calls.append(threading.current_thread().name)
        building.set()
        assert release.wait(WAIT)
        return Built(len(calls), previous)

    answers: dict[str, Built] = {}

    def ask() -> None:
        answers[threading.current_thread().name] = cache.get(engine, (2, 2), slow_build)

    a = threading.Thread(target=ask, name="a")
    a.start()
    assert building.wait(WAIT)  # "a" builds, holding the lock
    b = threading.Thread(target=ask, name="b")
    b.start()
    assert lock.waiting.wait(WAIT)  # "b" saw the moved stamp too and waits for the lock
    release.set()
    a.join(WAIT)
    b.join(WAIT)
    assert calls == ["a"]
    assert answers["a"] is answers["b"] and answers["a"].previous is first
