"""Import jobs over HTTP: progress, a paginated report, cancelling, a closed page, a dead worker, a busy database.

Files above ``IMPORT_INLINE_MAX_BYTES`` run in a worker thread; the tests set
it to 0 so that small files do. A test that needs the job caught mid-way
pauses the worker at a checkpoint (an event it waits on) and lets it go with
another: nothing here waits on the clock.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text, update

from glossary.models import (
    Concept,
    Evidence,
    ImportJob,
    ImportJobOutcome,
    Revision,
    Source,
    StagedConcept,
    StagedEvidence,
    StagedRevision,
    StagedTerm,
    Term,
    utcnow,
)
from glossary.services import import_jobs
from glossary.services.concepts import create_concept, update_concept
from glossary.services.import_workers import import_workers

from .test_busy import write_lock
from .test_web_interchange import apply_from, preview, waiting_files
from .test_web_support import add_concept, logged_in

WAIT = 120  # seconds: a safety net for a broken test, never what the test waits for


def rows_csv(count: int, start: int = 0) -> bytes:
    lines = ["zh,en,abbr"] + [f"白细胞介素-{i},interleukin-{i},IL-{i}" for i in range(start, start + count)]
    return ("\n".join(lines) + "\n").encode()


def glossary_counts(db) -> dict[str, int]:
    db.session.rollback()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Concept, Term, Revision, Evidence, Source)
    }


def leftovers(db) -> dict[str, int]:
    db.session.rollback()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (StagedConcept, StagedTerm, StagedRevision, StagedEvidence)
    }


def concept_counter(db) -> int | None:
    """SQLite's AUTOINCREMENT counter for concepts (None on PostgreSQL)."""
    if db.engine.dialect.name != "sqlite":
        return None
    return db.session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'concept'")) or 0


def job_id_of(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(re.search(r"/admin/import/jobs/(\d+)$", response.headers["Location"]).group(1))


def finished(app, db, job_id: int) -> ImportJob:
    assert import_workers(app).wait(job_id, WAIT), "the import job did not end"
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(ImportJob, job_id)


def previewed(app, db, client, raw: bytes):
    """A finished background preview: its id and its page (with the Apply form)."""
    job_id = job_id_of(preview(client, raw))
    finished(app, db, job_id)
    return job_id, client.get(f"/admin/import/jobs/{job_id}")


@contextmanager
def paused_in(monkeypatch, phase: str):
    """The worker stops at its first checkpoint in ``phase`` until ``release`` is set."""
    reached, release = threading.Event(), threading.Event()
    checkpoint = import_jobs._Run.checkpoint

    def pausing(run):
        if run.job.phase == phase and not reached.is_set():
            reached.set()
            release.wait(WAIT)
        return checkpoint(run)

    monkeypatch.setattr(import_jobs._Run, "checkpoint", pausing)
    try:
        yield reached, release
    finally:
        release.set()


@pytest.fixture()
def app(make_app):
    return make_app(IMPORT_INLINE_MAX_BYTES=0, IMPORT_REPORT_PAGE_SIZE=5)


@pytest.fixture()
def admin(db, client):
    return logged_in(db, client, "admin")


def test_a_large_file_is_previewed_as_a_job_with_a_paginated_exact_report(app, db, admin):
    existing = add_concept(db, "白细胞介素-3", "interleukin-3")
    first = preview(admin, rows_csv(12))
    job_id = job_id_of(first)
    job = finished(app, db, job_id)
    assert (job.kind, job.status, job.total, job.counts["new"], job.counts["merged"]) == (
        "preview",
        "finished",
        12,
        11,
        1,
    )
    page = admin.get(f"/admin/import/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nothing has been written yet" in html and "Page 1 of 3" in html
    row = r'<tr class="outcome-(\w+)">\s*<td data-label="Line">(\d+)</td>'
    assert re.findall(row, html, re.S) == [("new", "2"), ("new", "3"), ("new", "4"), ("merged", "5"), ("new", "6")]
    assert f'href="/concepts/{existing.id}"' in html  # a stored concept is a link; a concept to be is not
    last = admin.get(f"/admin/import/jobs/{job_id}?page=3").get_data(as_text=True)
    assert [line for _, line in re.findall(row, last, re.S)] == ["12", "13"] and "Page 3 of 3" in last
    merged = admin.get(f"/admin/import/jobs/{job_id}?outcome=merged").get_data(as_text=True)
    assert re.findall(row, merged, re.S) == [("merged", "5")] and "term &#39;IL-3&#39; added" in merged
    assert glossary_counts(db)["Concept"] == 1 and len(waiting_files(app)) == 2
    progress = admin.get(f"/admin/import/jobs/{job_id}/progress").get_json()
    assert progress["active"] is False and progress["status"] == "finished"

    applied = apply_from(admin, page.data)
    apply_id = job_id_of(applied)
    job = finished(app, db, apply_id)
    assert job.status == "finished" and job.counts["new"] == 11
    result = admin.get(f"/admin/import/jobs/{apply_id}").get_data(as_text=True)
    assert "Imported: 11 new, 1 merged" in result
    assert glossary_counts(db)["Concept"] == 12 and sum(leftovers(db).values()) == 0
    assert {t.text for t in db.session.get(Concept, existing.id).terms} == {"白细胞介素-3", "interleukin-3", "IL-3"}
    assert set(db.session.scalars(select(Revision.user_name))) == {"system", "ada"}
    listing = admin.get("/admin/import").get_data(as_text=True)
    assert f'href="/admin/import/jobs/{apply_id}"' in listing and f'href="/admin/import/jobs/{job_id}"' in listing


def test_a_running_job_shows_its_progress_and_the_script_that_follows_it(app, db, admin, monkeypatch):
    with paused_in(monkeypatch, "reading") as (reached, release):
        job_id = job_id_of(preview(admin, rows_csv(3)))
        assert reached.wait(WAIT)
        page = admin.get(f"/admin/import/jobs/{job_id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "<progress" in html and "Stop the import" in html
        assert 'src="/static/import_job.js"' in html and "<script>" not in html  # no inline script (CSP)
        assert "Content-Security-Policy" in page.headers
        progress = admin.get(f"/admin/import/jobs/{job_id}/progress").get_json()
        assert progress["active"] is True and progress["status"] == "running" and progress["message"]
        release.set()
    assert finished(app, db, job_id).status == "finished"
    assert "Import preview" in admin.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)


def test_a_cancelled_apply_leaves_nothing(app, db, admin, monkeypatch):
    add_concept(db, "催产素", "oxytocin")
    preview_id, page = previewed(app, db, admin, rows_csv(2500))
    before, counter = glossary_counts(db), concept_counter(db)
    with paused_in(monkeypatch, "staging") as (reached, release):
        job_id = job_id_of(apply_from(admin, page.data))
        assert reached.wait(WAIT)
        assert sum(leftovers(db).values()) > 0  # it had begun to stage
        assert admin.post(f"/admin/import/jobs/{job_id}/cancel").status_code == 303
        release.set()
    job = finished(app, db, job_id)
    assert (job.status, job.error) == ("cancelled", "Cancelled.")
    assert glossary_counts(db) == before and concept_counter(db) == counter
    assert sum(leftovers(db).values()) == 0
    assert not db.session.scalar(
        select(func.count()).select_from(ImportJobOutcome).where(ImportJobOutcome.job_id == job_id)
    )
    shown = admin.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert "Nothing was imported" in shown and "Cancelled." in shown
    # The file waits again, so the preview's Apply still works.
    assert "apply-form" in admin.get(f"/admin/import/jobs/{preview_id}").get_data(as_text=True)
    job = finished(app, db, job_id_of(apply_from(admin, page.data)))
    assert job.status == "finished" and glossary_counts(db)["Concept"] == before["Concept"] + 2500


def test_cancelling_a_job_that_has_ended_changes_nothing(app, db, admin):
    job_id = job_id_of(preview(admin, rows_csv(2)))
    finished(app, db, job_id)
    after = admin.post(f"/admin/import/jobs/{job_id}/cancel", follow_redirects=True)
    assert "had already ended" in after.get_data(as_text=True)
    assert db.session.get(ImportJob, job_id).status == "finished"


def test_a_job_stops_when_its_page_is_no_longer_open(make_app, monkeypatch):
    # A timeout below zero: the page counts as gone at the job's first checkpoint.
    app = make_app(IMPORT_INLINE_MAX_BYTES=0, IMPORT_CLIENT_TIMEOUT_SECONDS=-1)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "admin")
        job = finished(app, db, job_id_of(preview(client, rows_csv(3))))
        assert job.status == "cancelled" and "page that started it was closed" in job.error
        assert waiting_files(app) == [] and glossary_counts(db)["Concept"] == 0


def test_the_page_polling_keeps_a_job_alive(app, db, admin, monkeypatch):
    with paused_in(monkeypatch, "reading") as (reached, release):
        job_id = job_id_of(preview(admin, rows_csv(3)))
        assert reached.wait(WAIT)
        db.session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(client_seen_at=utcnow() - timedelta(seconds=30))
        )
        db.session.commit()
        admin.get(f"/admin/import/jobs/{job_id}/progress")  # the page's script asking
        db.session.expire_all()
        assert utcnow() - db.session.get(ImportJob, job_id).client_seen_at < timedelta(seconds=30)
        release.set()
    assert finished(app, db, job_id).status == "finished"


@pytest.mark.parametrize("whose", ["this process", "another process"])
def test_a_job_whose_worker_died_is_shown_as_failed_and_its_leftovers_go(app, db, admin, whose):
    worker = import_workers(app).worker_id if whose == "this process" else "elsewhere:1:dead"
    job = ImportJob(
        kind="apply",
        status="running",
        phase="staging",
        filename="big.csv",
        sha256="0" * 64,
        worker=worker,
        heartbeat_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(job)
    db.session.flush()
    db.session.execute(
        insert(StagedConcept),
        [{"job_id": job.id, "concept_id": 900 + i, "status": "approved", "version": 1} for i in range(3)],
    )
    db.session.commit()
    page = admin.get(f"/admin/import/jobs/{job.id}").get_data(as_text=True)
    assert "Nothing was imported" in page and "the process running it ended" in page
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).status == "failed" and sum(leftovers(db).values()) == 0


def test_a_busy_database_answers_503_and_the_file_can_be_applied_after(make_app):
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=100, POSTGRES_LOCK_TIMEOUT_MS=100)  # small files run in the request
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "admin")
        page = preview(client, rows_csv(3))
        assert page.status_code == 200
        before = glossary_counts(db)
        with write_lock(db):
            busy = apply_from(client, page.data)
            assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
            assert "busy" in busy.get_data(as_text=True)
            checked = preview(client, rows_csv(2))
            # A preview writes its record: refused as busy on SQLite, done on PostgreSQL (other tables are locked).
            assert checked.status_code == (503 if db.engine.dialect.name == "sqlite" else 200)
        assert glossary_counts(db) == before
        assert apply_from(client, page.data).status_code == 200
        assert glossary_counts(db)["Concept"] == 3


def test_a_background_job_that_finds_the_database_busy_fails_cleanly(make_app, monkeypatch):
    app = make_app(IMPORT_INLINE_MAX_BYTES=0, SQLITE_BUSY_TIMEOUT_MS=100, POSTGRES_LOCK_TIMEOUT_MS=100)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        logged_in(db, client, "admin")
        preview_id, page = previewed(app, db, client, rows_csv(3))
        with paused_in(monkeypatch, "reading") as (reached, release):
            job_id = job_id_of(apply_from(client, page.data))
            assert reached.wait(WAIT)
            with write_lock(db):
                release.set()
                assert import_workers(app).wait(job_id, WAIT)
        shown = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
        db.session.expire_all()
        job = db.session.get(ImportJob, job_id)
        assert job.status == "failed" and "Nothing was imported" in job.error and "Nothing was imported" in shown
        assert glossary_counts(db)["Concept"] == 0 and sum(leftovers(db).values()) == 0
        assert "apply-form" in client.get(f"/admin/import/jobs/{preview_id}").get_data(as_text=True)


def test_edits_made_during_an_import_win_and_the_rows_they_touch_are_reported(app, db, admin, monkeypatch):
    """A merge into a concept edited meanwhile, and a new concept created meanwhile by someone else, are left out."""
    edited = add_concept(db, "白细胞介素-1", "interleukin-1")
    _, page = previewed(app, db, admin, rows_csv(6))
    with paused_in(monkeypatch, "staging") as (reached, release):
        job_id = job_id_of(apply_from(admin, page.data))
        assert reached.wait(WAIT)
        update_concept(db.session, edited.id, {"note": "edited meanwhile"}, None, edited.version)
        theirs = create_concept(db.session, {"terms": [{"text": "白细胞介素-4"}, {"text": "interleukin-4"}]}, None)
        db.session.commit()
        release.set()
    job = finished(app, db, job_id)
    assert job.status == "finished" and (job.counts["new"], job.counts["conflicting"]) == (4, 2)
    outcomes = {
        o.line: o for o in db.session.scalars(select(ImportJobOutcome).where(ImportJobOutcome.job_id == job_id))
    }
    assert outcomes[3].outcome == outcomes[6].outcome == "conflicting"
    assert "changed here while the file was being imported" in outcomes[3].detail
    edited_now = db.session.get(Concept, edited.id)
    assert edited_now.note == "edited meanwhile" and {t.text for t in edited_now.terms} == {
        "白细胞介素-1",
        "interleukin-1",
    }
    interleukin_4 = db.session.scalars(select(Term.concept_id).where(Term.text == "interleukin-4")).all()
    assert interleukin_4 == [theirs.id]  # no duplicate of the concept created meanwhile
    assert glossary_counts(db)["Concept"] == 2 + 4 and sum(leftovers(db).values()) == 0


def test_only_admins_see_and_stop_jobs(app, db, admin):
    job_id = job_id_of(preview(admin, rows_csv(2)))
    finished(app, db, job_id)
    assert admin.get("/admin/import/jobs/999999").status_code == 404
    curator = app.test_client()
    logged_in(db, curator, "curator")
    for path in (f"/admin/import/jobs/{job_id}", f"/admin/import/jobs/{job_id}/progress"):
        assert curator.get(path).status_code == 403
    assert curator.post(f"/admin/import/jobs/{job_id}/cancel").status_code == 403


def interrupt_when_staging(monkeypatch):
    """Ctrl-C at the first checkpoint of the staging phase; returns the real checkpoint to restore."""
    checkpoint = import_jobs._Run.checkpoint

    def interrupted(run):
        if run.job.phase == "staging":
            raise KeyboardInterrupt
        return checkpoint(run)

    monkeypatch.setattr(import_jobs._Run, "checkpoint", interrupted)
    return checkpoint


def test_the_cli_import_is_a_job_and_ctrl_c_leaves_nothing(runner, db, tmp_path, monkeypatch):
    path = tmp_path / "terms.csv"
    path.write_bytes(rows_csv(2500))
    before, counter = glossary_counts(db), concept_counter(db)
    checkpoint = interrupt_when_staging(monkeypatch)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "Interrupted. Nothing was imported." in result.output
    assert glossary_counts(db) == before and concept_counter(db) == counter and sum(leftovers(db).values()) == 0
    monkeypatch.setattr(import_jobs._Run, "checkpoint", checkpoint)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0 and "2500 new" in result.output
    jobs = db.session.scalars(select(ImportJob).order_by(ImportJob.id)).all()
    assert [(j.kind, j.status, j.user_name) for j in jobs] == [
        ("apply", "cancelled", "system"),
        ("apply", "finished", "system"),
    ]


def test_matching_looks_keys_up_a_few_thousand_a_query(db, monkeypatch):
    """5,000 concepts, 15,000 keys: a handful of look-ups, not one per concept."""
    from sqlalchemy import event

    from glossary.formats import parse_glossary
    from glossary.services.interchange import import_glossary

    parsed = parse_glossary(rows_csv(5000))
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = import_glossary(db.session, parsed.data, lines=parsed.lines)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert report.counts["new"] == 5000
    # The rulebook's concepts_sharing: one UNION ALL of (lang, key) probes a batch of the file.
    lookups = [s for s in statements if s.startswith("SELECT") and "WHERE term.lang = " in s and "UNION ALL" in s]
    inserts = [s for s in statements if s.startswith("INSERT INTO term")]
    assert 1 <= len(lookups) <= 10 and 1 <= len(inserts) <= 10
    assert glossary_counts(db)["Term"] == 15000


def test_each_job_sweeps_what_ended_jobs_left_and_old_reports(app, db, admin):
    """Staging rows of an ended job (its process died after the swap) and reports past their keeping go."""
    ended = ImportJob(
        kind="apply",
        status="finished",
        phase="done",
        filename="a.csv",
        sha256="0" * 64,
        finished_at=utcnow() - timedelta(days=31),
    )
    recent = ImportJob(
        kind="preview", status="finished", phase="done", filename="b.csv", sha256="0" * 64, finished_at=utcnow()
    )
    db.session.add_all([ended, recent])
    db.session.flush()
    db.session.execute(
        insert(StagedTerm),
        [
            {
                "job_id": ended.id,
                "concept_id": 7,
                "lang": "en",
                "text": "x",
                "key": "x",
                "kind": "full",
                "status": "preferred",
                "count": 0,
            }
        ],
    )
    db.session.execute(
        insert(ImportJobOutcome),
        [
            {
                "job_id": job.id,
                "position": 0,
                "line": 2,
                "outcome": "new",
                "label": "x",
                "detail": "",
                "provisional": False,
            }
            for job in (ended, recent)
        ],
    )
    db.session.commit()
    finished(app, db, job_id_of(preview(admin, rows_csv(2))))
    assert sum(leftovers(db).values()) == 0
    kept = set(db.session.scalars(select(ImportJobOutcome.job_id).distinct()))
    assert ended.id not in kept and recent.id in kept


def test_a_large_import_settles_the_search_structures_so_the_next_annotate_only_opens(
    app, runner, db, tmp_path, monkeypatch
):
    from pathlib import Path

    from glossary.search import annotate

    monkeypatch.setattr(import_jobs, "LARGE_IMPORT", 500)
    path = tmp_path / "terms.csv"
    path.write_bytes(rows_csv(600))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0 and "600 new" in result.output
    assert any((Path(app.instance_path) / "recognizer").rglob("meta.json"))  # built by the import
    annotate._CACHE.clear()  # a worker that starts now
    monkeypatch.setattr(annotate, "_build_and_save", lambda *_: pytest.fail("built in the request"))
    last = db.session.scalars(select(Term.text).where(Term.lang == "en").order_by(Term.id.desc())).first()
    assert [a.text for a in annotate.find_terms(db.session, f"see {last} here")] == [last]


def test_a_staged_import_keeps_every_character_of_what_it_stages(runner, db, tmp_path, monkeypatch):
    """Staged rows go in by COPY on PostgreSQL, by INSERT on SQLite: tabs, new lines, backslashes, a
    literal \\N, quotes and characters outside the BMP come back exactly, with the history and evidence."""
    import json

    tricky = "tab\there\nnew line \\ back\\slash \\N \"quoted\" 'single' 𠀋 end"
    data = {
        "format": "zh-en-glossary",
        "version": 1,
        "sources": [{"key": "a" * 64, "filename": "a\tb.pdf", "title": tricky}],
        "concepts": [
            {
                "domain": "d\\1",
                "definition": tricky,
                "note": tricky,
                "terms": [
                    {"lang": "zh", "text": f"受体{i}号", "count": 3},
                    {"lang": "en", "text": f"receptor \\{i}\\", "count": 2},
                ],
                "evidence": [{"source": "a" * 64, "term": f"受体{i}号", "sentence": tricky, "start": 0, "end": 4}],
            }
            for i in range(3)
        ],
    }
    path = tmp_path / "tricky.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from glossary.services import import_write

    staged_tables = []
    real_copy = import_write._copy_rows

    def copying(session, table, rows):
        staged_tables.append(table.name)
        return real_copy(session, table, rows)

    monkeypatch.setattr(import_write, "_copy_rows", copying)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0 and "3 new" in result.output, result.output
    if db.engine.dialect.name == "postgresql":
        assert set(staged_tables) == {
            "import_staged_concept",
            "import_staged_term",
            "import_staged_revision",
            "import_staged_evidence",
        }
    db.session.rollback()
    concepts = db.session.scalars(select(Concept).order_by(Concept.id)).all()
    assert [(c.domain, c.definition, c.note) for c in concepts] == [("d\\1", tricky, tricky)] * 3
    assert sorted(t.text for c in concepts for t in c.terms) == sorted(
        [f"受体{i}号" for i in range(3)] + [f"receptor \\{i}\\" for i in range(3)]
    )
    assert [e.sentence for e in db.session.scalars(select(Evidence))] == [tricky] * 3
    revisions = db.session.scalars(select(Revision).order_by(Revision.id)).all()
    assert len(revisions) == 3 and all(r.before is None and r.after["definition"] == tricky for r in revisions)
    assert sum(leftovers(db).values()) == 0
