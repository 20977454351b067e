"""Term recognition without a cold start: the automata are saved under instance/, keyed by the
glossary stamp, and a new worker loads them instead of building them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from glossary.search import annotate
from glossary.search.annotate import find_terms
from glossary.services.concepts import create_concept


def _add(session, zh: str, en: str) -> int:
    concept = create_concept(session, {"terms": [{"text": zh}, {"text": en}]}, None)
    session.commit()
    return concept.id


def _saved(app) -> list[str]:
    root = Path(app.instance_path) / "automata"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _new_worker() -> None:
    """What a fresh process has: no automata in memory."""
    annotate._CACHE.clear()


def test_a_new_worker_loads_the_saved_automata_instead_of_building(app, db, monkeypatch):
    oxytocin = _add(db.session, "催产素", "oxytocin")
    assert [a.concept_id for a in find_terms(db.session, "催产素与oxytocin")] == [oxytocin, oxytocin]
    saved = _saved(app)
    assert [name.rsplit(".", 1)[1] for name in saved] == ["arrays", "exact", "folded"]

    _new_worker()

    def no_full_build(*_args):
        raise AssertionError("a new worker built the automata instead of loading them")

    monkeypatch.setattr(annotate, "_build_and_save", no_full_build)
    assert [a.text for a in find_terms(db.session, "催产素")] == ["催产素"]

    # A term added after the save is found through the small automaton.
    melatonin = _add(db.session, "褪黑素", "melatonin")
    assert [a.concept_id for a in find_terms(db.session, "褪黑素 melatonin 催产素")] == [melatonin, melatonin, oxytocin]
    assert _saved(app) == saved  # nothing rebuilt for one new term


def test_deleted_terms_are_not_reported_from_a_saved_automaton(app, db):
    from glossary.services.concepts import delete_concept

    gone = _add(db.session, "血清素", "serotonin")
    find_terms(db.session, "血清素")
    _new_worker()
    delete_concept(db.session, gone, None)
    db.session.commit()
    assert find_terms(db.session, "血清素 serotonin") == []


def test_many_new_terms_rebuild_in_the_background_and_save_again(app, db, monkeypatch):
    _add(db.session, "多巴胺", "dopamine")
    find_terms(db.session, "多巴胺")
    first = _saved(app)
    monkeypatch.setattr(annotate, "DELTA_LIMIT", 2)
    started = threading.Event()
    real = annotate._rebuild_in_background

    def observed(*args):
        real(*args)
        started.set()

    monkeypatch.setattr(annotate, "_rebuild_in_background", observed)
    for zh, en in (("谷氨酸", "glutamate"), ("甘氨酸", "glycine")):
        _add(db.session, zh, en)
    # Answered at once from the old automaton plus the small one, while the new one is built.
    assert [a.text for a in find_terms(db.session, "谷氨酸和甘氨酸")] == ["谷氨酸", "甘氨酸"]
    assert started.wait(10)
    for thread in threading.enumerate():
        if thread.name == "glossary-automata":
            thread.join(30)
    assert _saved(app) != first and len(_saved(app)) == 3
    assert [a.text for a in find_terms(db.session, "甘氨酸 dopamine")] == ["甘氨酸", "dopamine"]


@pytest.mark.parametrize("damage", ["truncate", "remove"])
def test_a_damaged_save_is_rebuilt_not_trusted(app, db, damage):
    _add(db.session, "组胺", "histamine")
    find_terms(db.session, "组胺")
    arrays = next(p for p in (Path(app.instance_path) / "automata").rglob("*.arrays"))
    if damage == "truncate":
        arrays.write_bytes(arrays.read_bytes()[:10])
    else:
        arrays.unlink()
    _new_worker()
    assert [a.text for a in find_terms(db.session, "组胺")] == ["组胺"]
