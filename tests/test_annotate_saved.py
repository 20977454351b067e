"""Term recognition without a cold start: the spelling tables are saved under instance/, keyed by the
glossary stamp, and a new worker memory-maps them instead of building them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from glossary.search import annotate, search_concepts
from glossary.search.annotate import find_terms
from glossary.services.concepts import create_concept


def _add(session, zh: str, en: str) -> int:
    concept = create_concept(session, {"terms": [{"text": zh}, {"text": en}]}, None)
    session.commit()
    return concept.id


def _saved(app) -> list[str]:
    """The saved files, as ``<stamp folder>/<file>``."""
    root = Path(app.instance_path) / "recognizer"
    return sorted(f"{p.parent.name}/{p.name}" for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _new_worker() -> None:
    """What a fresh process has: no tables in memory."""
    annotate._CACHE.clear()


def test_a_new_worker_loads_the_saved_tables_instead_of_building(app, db, monkeypatch):
    oxytocin = _add(db.session, "催产素", "oxytocin")
    assert [a.concept_id for a in find_terms(db.session, "催产素与oxytocin")] == [oxytocin, oxytocin]
    saved = _saved(app)
    assert len({name.split("/")[0] for name in saved}) == 1  # one stamp folder
    assert sum(name.endswith(".hashes.npy") for name in saved) == 2 and any("meta.json" in n for n in saved)

    _new_worker()

    def no_full_build(*_args):
        raise AssertionError("a new worker built the tables instead of loading them")

    monkeypatch.setattr(annotate, "_build_and_save", no_full_build)
    assert [a.text for a in find_terms(db.session, "催产素")] == ["催产素"]

    # A term added after the save is found through the small tables.
    melatonin = _add(db.session, "褪黑素", "melatonin")
    assert [a.concept_id for a in find_terms(db.session, "褪黑素 melatonin 催产素")] == [melatonin, melatonin, oxytocin]
    assert _saved(app) == saved  # nothing rebuilt for one new term


def test_deleted_terms_are_not_reported_from_saved_tables(app, db):
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
    # Answered at once from the old tables plus the small ones, while the new ones are built.
    assert [a.text for a in find_terms(db.session, "谷氨酸和甘氨酸")] == ["谷氨酸", "甘氨酸"]
    assert started.wait(10)
    for thread in threading.enumerate():
        if thread.name == "glossary-recognizer":
            thread.join(30)
    assert _saved(app) != first and len(_saved(app)) == len(first)  # the older save removed
    assert [a.text for a in find_terms(db.session, "甘氨酸 dopamine")] == ["甘氨酸", "dopamine"]


@pytest.mark.parametrize("damage", ["truncate", "remove"])
def test_a_damaged_save_is_rebuilt_not_trusted(app, db, damage):
    _add(db.session, "组胺", "histamine")
    find_terms(db.session, "组胺")
    arrays = next(p for p in (Path(app.instance_path) / "recognizer").rglob("folded.hashes.npy"))
    if damage == "truncate":
        arrays.write_bytes(arrays.read_bytes()[:100])
    else:
        arrays.unlink()
    _new_worker()
    assert [a.text for a in find_terms(db.session, "组胺")] == ["组胺"]


def test_an_edited_term_is_found_as_it_is_now_not_as_it_was_saved(app, db):
    from glossary.services.concepts import update_concept

    concept_id = _add(db.session, "催乳素", "prolactine")
    find_terms(db.session, "催乳素")  # the tables are saved with the misspelling
    _new_worker()
    update_concept(db.session, concept_id, {"terms": [{"text": "催乳素"}, {"text": "prolactin"}]}, None, 1)
    db.session.commit()
    assert [(a.text, a.concept_id) for a in find_terms(db.session, "prolactin, not prolactine")] == [
        ("prolactin", concept_id)
    ]


def test_a_shorter_term_still_stands_where_a_longer_one_was_deleted(app, db):
    from glossary.services.concepts import delete_concept

    short = _add(db.session, "受体", "receptor")
    longer = _add(db.session, "催产素受体", "oxytocin receptor")
    assert [a.concept_id for a in find_terms(db.session, "催产素受体")] == [longer]
    _new_worker()
    delete_concept(db.session, longer, None)
    db.session.commit()
    assert [(a.text, a.concept_id) for a in find_terms(db.session, "催产素受体")] == [("受体", short)]


def test_build_recognizer_saves_ahead_of_the_first_request(app, db, monkeypatch):
    from glossary.search.annotate import build_recognizer

    _add(db.session, "褪黑素", "melatonin")
    assert build_recognizer(db.session) >= 0
    assert _saved(app)
    _new_worker()
    monkeypatch.setattr(annotate, "_build_and_save", lambda *_: pytest.fail("built in the request"))
    assert [a.text for a in find_terms(db.session, "melatonin")] == ["melatonin"]


def test_the_optimize_command_builds_ahead_so_a_new_worker_only_opens(app, db, runner, monkeypatch):
    concept = _add(db.session, "多巴胺", "dopamine")
    _new_worker()
    result = runner.invoke(args=["optimize"])
    assert result.exit_code == 0, result.output
    assert "indexes merged" in result.output and "built and saved" in result.output and _saved(app)
    assert [hit.concept.id for hit in search_concepts(db.session, "巴胺").results] == [concept]  # still searchable
    _new_worker()
    monkeypatch.setattr(annotate, "_build_and_save", lambda *_: pytest.fail("built in the request"))
    assert [a.concept_id for a in find_terms(db.session, "dopamine 多巴胺")] == [concept, concept]


def test_a_build_left_half_done_by_a_dead_process_is_cleared_by_the_next_build(app, db):
    import os

    _add(db.session, "组胺", "histamine")
    find_terms(db.session, "组胺")
    folder = next((Path(app.instance_path) / "recognizer").iterdir())
    fresh, stale = folder / ".9-9.1.1.tmp", folder / ".8-8.1.1.tmp"
    for leftover in (fresh, stale):
        leftover.mkdir()
        (leftover / "meta.json").write_text("{")
    os.utime(stale, (0, 0))  # its process died long ago
    annotate.build_recognizer(db.session)
    assert not stale.exists() and fresh.exists()  # a build in progress elsewhere is left alone
    _new_worker()
    assert [a.text for a in find_terms(db.session, "组胺")] == ["组胺"]
