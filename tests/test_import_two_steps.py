"""An import in two steps from the command line, as on the page: `import FILE --dry-run` keeps the file
under an id, `import --apply ID` imports exactly the bytes previewed, or refuses with exit code 1.

Both doors go through ``services/pending_imports.py``; the last test runs the same file through
each, on a fresh database, and compares the concepts and revisions they write.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from glossary.models import Concept, ImportJob, Revision

from .test_import_jobs import glossary_counts, interrupt_when_staging
from .test_web_interchange import apply_from, preview, waiting_files
from .test_web_support import add_concept, logged_in

CSV = "zh,en,abbr,domain\n催产素,oxytocin,,neuroendocrinology\n褪黑素,melatonin,MT,sleep\n".encode()


def dry_run(runner, path: Path, *extra: str) -> str:
    """Run the dry run, and return the id it kept the file under."""
    result = runner.invoke(args=["import", str(path), "--dry-run", *extra])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written." in result.output
    [upload_id] = re.findall(r"--apply ([0-9a-f]{32})", result.output)
    return upload_id


@pytest.fixture()
def terms_csv(tmp_path) -> Path:
    path = tmp_path / "terms.csv"
    path.write_bytes(CSV)
    return path


def test_dry_run_then_apply_imports_exactly_what_was_previewed(runner, db, app, terms_csv):
    add_concept(db, "催产素", "oxytocin")
    before = glossary_counts(db)
    upload_id = dry_run(runner, terms_csv)
    assert glossary_counts(db) == before
    assert waiting_files(app) == sorted([f"{upload_id}.json", f"{upload_id}.upload"])

    applied = runner.invoke(args=["import", "--apply", upload_id])
    assert applied.exit_code == 0, applied.output
    assert "1 new" in applied.output and "1 merged" in applied.output and "Imported." in applied.output
    assert glossary_counts(db)["Concept"] == before["Concept"] + 1
    assert waiting_files(app) == []
    jobs = db.session.scalars(select(ImportJob).order_by(ImportJob.id)).all()
    assert [(j.kind, j.status, j.user_name, j.sha256) for j in jobs] == [
        ("preview", "finished", "system", jobs[0].sha256),
        ("apply", "finished", "system", jobs[0].sha256),
    ]

    again = runner.invoke(args=["import", "--apply", upload_id])
    assert again.exit_code == 1 and "no dry run waits" in again.output
    assert glossary_counts(db)["Concept"] == before["Concept"] + 1


def test_the_dry_run_options_are_the_ones_applied(runner, db, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes("Chinese,English,Abbrev\n褪黑素,melatonin,MT\n".encode())
    upload_id = dry_run(runner, path, "--map", "zh=Chinese,en=English,abbr=Abbrev")
    refused = runner.invoke(args=["import", "--apply", upload_id, "--map", "zh=Chinese"])
    assert refused.exit_code == 2 and "options of its dry run" in refused.output
    applied = runner.invoke(args=["import", "--apply", upload_id, str(path)])
    assert applied.exit_code == 0, applied.output
    db.session.expire_all()
    [concept] = db.session.scalars(select(Concept)).all()
    assert sorted((t.lang, t.text) for t in concept.terms) == [("en", "MT"), ("en", "melatonin"), ("zh", "褪黑素")]


def test_a_file_changed_since_its_dry_run_is_refused(runner, db, app, terms_csv):
    upload_id = dry_run(runner, terms_csv)
    terms_csv.write_bytes(CSV + "胰岛素,insulin,,\n".encode())
    refused = runner.invoke(args=["import", "--apply", upload_id, str(terms_csv)])
    assert refused.exit_code == 1 and "terms.csv has changed since its dry run" in refused.output
    assert glossary_counts(db)["Concept"] == 0 and len(waiting_files(app)) == 2  # the preview still waits

    stored = Path(app.instance_path) / "imports" / f"{upload_id}.upload"
    stored.write_bytes(stored.read_bytes() + "胰岛素,insulin,,\n".encode())
    altered = runner.invoke(args=["import", "--apply", upload_id])
    assert altered.exit_code == 1 and "The stored file has changed since the preview" in altered.output
    assert glossary_counts(db)["Concept"] == 0 and waiting_files(app) == []


def test_an_expired_dry_run_is_refused(make_app, tmp_path):
    app = make_app(IMPORT_UPLOAD_MAX_AGE=-1)
    runner = app.test_cli_runner()
    path = tmp_path / "terms.csv"
    path.write_bytes(CSV)
    with app.app_context():
        from glossary.extensions import db

        upload_id = dry_run(runner, path)
        expired = runner.invoke(args=["import", "--apply", upload_id, str(path)])
        assert expired.exit_code == 1 and "This import has expired" in expired.output
        assert glossary_counts(db)["Concept"] == 0 and waiting_files(app) == []


@pytest.mark.parametrize("upload_id", ["0" * 32, "../../secret_key", ""])
def test_an_unknown_id_is_refused(runner, db, upload_id):
    result = runner.invoke(args=["import", "--apply", upload_id])
    assert result.exit_code == 1 and "no dry run waits under the id" in result.output
    assert glossary_counts(db)["Concept"] == 0


def test_a_cancelled_dry_run_cannot_be_applied(runner, db, app, terms_csv):
    upload_id = dry_run(runner, terms_csv)
    cancelled = runner.invoke(args=["import", "--cancel", upload_id])
    assert cancelled.exit_code == 0 and "can no longer be applied" in cancelled.output
    assert waiting_files(app) == []
    assert runner.invoke(args=["import", "--apply", upload_id]).exit_code == 1
    again = runner.invoke(args=["import", "--cancel", upload_id])
    assert again.exit_code == 1 and "no dry run waits" in again.output
    assert glossary_counts(db)["Concept"] == 0


def test_an_interrupted_apply_keeps_the_dry_run_for_another_try(runner, db, app, terms_csv, monkeypatch):
    from glossary.services import import_jobs

    upload_id = dry_run(runner, terms_csv)
    checkpoint = interrupt_when_staging(monkeypatch)
    stopped = runner.invoke(args=["import", "--apply", upload_id])
    assert stopped.exit_code == 1 and "Interrupted. Nothing was imported." in stopped.output
    assert f"import --apply {upload_id} to try again" in stopped.output
    assert glossary_counts(db)["Concept"] == 0 and len(waiting_files(app)) == 2
    monkeypatch.setattr(import_jobs._Run, "checkpoint", checkpoint)
    assert runner.invoke(args=["import", "--apply", upload_id]).exit_code == 0
    assert glossary_counts(db)["Concept"] == 2 and waiting_files(app) == []


def test_a_dry_run_with_errors_keeps_nothing(runner, db, app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("zh,en\n催产素,oxytocin\nnot chinese,melatonin\n".encode())
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 1 and "the file has errors" in result.output and "--apply" not in result.output
    assert waiting_files(app) == []


def test_the_page_and_the_command_line_apply_only_their_own_previews(runner, db, client, app, terms_csv):
    admin = logged_in(db, client, "admin")
    page = preview(admin, CSV).data
    page_id = re.search(rb'name="upload_id" type="hidden" value="(\w+)"', page).group(1).decode()
    refused = runner.invoke(args=["import", "--apply", page_id])
    assert refused.exit_code == 1 and "previewed on the import page" in refused.output
    cli_id = dry_run(runner, terms_csv)
    sha256 = db.session.scalars(select(ImportJob.sha256)).first()
    answer = admin.post("/admin/import/apply", data={"upload_id": cli_id, "sha256": sha256})
    assert answer.status_code == 403 and "previewed from the command line" in answer.get_data(as_text=True)
    assert glossary_counts(db)["Concept"] == 0 and len(waiting_files(app)) == 4  # both still wait


def test_usage_errors(runner, db, terms_csv):
    assert runner.invoke(args=["import"]).exit_code == 2
    assert runner.invoke(args=["import", "--cancel", "0" * 32, str(terms_csv)]).exit_code == 2
    assert runner.invoke(args=["import", "--apply", "0" * 32, "--dry-run"]).exit_code == 2


def _written(db) -> tuple:
    """The concepts and revisions an import left (who did it, and when, aside)."""
    db.session.expire_all()
    concepts = [
        (c.id, c.status, sorted((t.lang, t.text, t.kind) for t in c.terms))
        for c in db.session.scalars(select(Concept).order_by(Concept.id))
    ]
    revisions = [
        (r.concept_id, r.action, r.before, r.after) for r in db.session.scalars(select(Revision).order_by(Revision.id))
    ]
    return concepts, revisions


def test_page_and_command_line_write_the_same_for_the_same_file(make_app, tmp_path):
    from glossary.extensions import db

    path = tmp_path / "terms.csv"
    path.write_bytes(CSV)
    written = {}
    for door in ("page", "cli"):
        app = make_app()
        with app.app_context():
            add_concept(db, "催产素", "oxytocin")
            if door == "page":
                client = app.test_client()
                logged_in(db, client, "admin")
                page = preview(client, CSV)
                assert page.status_code == 200
                assert apply_from(client, page.data).status_code == 200
            else:
                runner = app.test_cli_runner()
                upload_id = dry_run(runner, path)
                assert runner.invoke(args=["import", "--apply", upload_id]).exit_code == 0
            db.session.remove()
            written[door] = _written(db)
            db.session.remove()
            db.drop_all()  # the next door starts on an empty database too (SQLite: the same file)
    assert written["page"] == written["cli"]
    concepts, revisions = written["page"]
    assert len(concepts) == 2 and len(revisions) == 3  # the concept made here, the merge, the new one
