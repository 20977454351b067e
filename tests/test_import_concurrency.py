"""A 30,000-row import while two curators edit: every edit answers 200 or 409, and the import completes.

The curators are real clients over HTTP against a live threaded server; the
admin previews and applies through the test client on the same app and
database. The apply is held at its first staging checkpoint until each
curator has saved again, so edits certainly land while the import runs;
everything else waits on events.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from glossary.models import Concept, ImportJob, ImportJobOutcome, Revision
from glossary.services.import_workers import import_workers

from .test_concurrency import call, live  # noqa: F401 - the fixture: a live server, two curators, one concept
from .test_import_jobs import WAIT, glossary_counts, job_id_of, leftovers, paused_in
from .test_web_interchange import apply_from, preview
from .test_web_support import logged_in

ROWS = 30_000
pytestmark = pytest.mark.slow


@pytest.fixture()
def app(make_app):
    # The test client does not poll the job page as its script would: the job must not take it as closed.
    return make_app(IMPORT_CLIENT_TIMEOUT_SECONDS=3600)


class Editors:
    """Two curators saving one concept in turn until told to stop; every answer is kept."""

    def __init__(self, port: int, concept_id: int, tokens: list[str]) -> None:
        self.port, self.concept_id, self.tokens = port, concept_id, tokens
        self.answers: list[tuple[int, dict]] = []
        self.saved = 0
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.edit, args=(who,)) for who in range(len(tokens))]

    def edit(self, who: int) -> None:
        n = 0
        while not self.stop.is_set():
            _, current = call(self.port, "GET", f"/api/v1/concepts/{self.concept_id}")
            status, body = call(
                self.port,
                "PATCH",
                f"/api/v1/concepts/{self.concept_id}",
                {"version": current["version"], "definition": f"edit {who}-{n}"},
                self.tokens[who],
            )
            with self.changed:
                self.answers.append((status, body))
                self.saved += status == 200
                self.changed.notify_all()
            n += 1

    def wait_for_saves(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.saved >= count, WAIT), "the curators stopped saving"

    def __enter__(self) -> Editors:
        for thread in self.threads:
            thread.start()
        self.wait_for_saves(2)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def test_a_30000_row_import_while_two_curators_edit(app, db, live, monkeypatch):  # noqa: F811 - the fixture
    admin = logged_in(db, app.test_client(), "admin")
    lines = ["zh,en,abbr", "催产素,oxytocin,OT"] + [f"测试术语-{i},test term {i},TT{i}" for i in range(ROWS - 1)]
    raw = ("\n".join(lines) + "\n").encode()
    workers = import_workers(app)
    with Editors(live["port"], live["concept_id"], live["tokens"]) as editors:
        preview_id = job_id_of(preview(admin, raw, "terms.csv"))
        assert workers.wait(preview_id, WAIT)
        page = admin.get(f"/admin/import/jobs/{preview_id}")
        assert page.status_code == 200 and "Page 1 of 150" in page.get_data(as_text=True)
        with paused_in(monkeypatch, "staging") as (reached, release):
            apply_id = job_id_of(apply_from(admin, page.data))
            assert reached.wait(WAIT)
            editors.wait_for_saves(editors.saved + 2)  # the import is under way: they go on saving
            release.set()
        assert workers.wait(apply_id, WAIT)
        editors.wait_for_saves(editors.saved + 2)  # and after it
    statuses = {status for status, _ in editors.answers}
    assert statuses <= {200, 409}, [a for a in editors.answers if a[0] not in (200, 409)][:3]
    db.session.rollback()
    job = db.session.get(ImportJob, apply_id)
    assert job.status == "finished" and job.counts["new"] == ROWS - 1, (job.status, job.error, job.counts)
    # The row merging into the concept they were editing is left for later, and says why.
    first = db.session.scalar(
        select(ImportJobOutcome).where(ImportJobOutcome.job_id == apply_id, ImportJobOutcome.line == 2)
    )
    assert first.outcome == "conflicting" and re.search("changed here while the file was being imported", first.detail)
    assert glossary_counts(db)["Concept"] == ROWS and sum(leftovers(db).values()) == 0
    updates = db.session.scalar(select(func.count()).select_from(Revision).where(Revision.action == "update"))
    assert updates == editors.saved  # every save accepted is in the history, no other
    assert db.session.get(Concept, live["concept_id"]).definition.startswith("edit ")
