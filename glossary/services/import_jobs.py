"""Imports as jobs: planned and staged in short transactions, swapped in at once, with progress and a way out.

A job is a row (``ImportJob``) and, while it runs, a thread in one process.
The row is the source of truth, so any gunicorn worker can show a job's
progress, cancel it or notice it died: the thread writes its progress and a
heartbeat after every batch, and reads the row's ``cancel_requested`` flag
and (for jobs started from the page) when the page last asked about it; if
either says stop, the job stops before the next batch and leaves nothing
behind. A job whose thread is gone (the process ended) is marked failed by
the next request that reads it. Each process runs at most ``IMPORT_WORKERS``
jobs at once (``import_workers``).

``run_job`` is the whole job in the calling thread: parse the file, plan it
batch by batch (the report is written as it goes), and for an apply stage the
rows and swap them in (see ``import_write``). The page runs small files that
way inside the request and starts a thread for large ones; the CLI always
runs it in its own thread of control and shows the progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import Flask
from sqlalchemy import CursorResult, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..database import is_busy
from ..errors import NotFound
from ..extensions import db
from ..formats import FormatError, ParsedGlossary, parse_glossary, parse_mapping
from ..models import ImportJob, ImportJobOutcome, User, utcnow
from ..models.imports import JOB_ACTIVE
from .import_plan import ConceptIds, ImportPlan, ImportReport
from .import_planner import Planner
from .import_write import (
    STAGED,
    StaleSwap,
    discard_staged,
    history_watermark,
    lock_for_swap,
    next_concept_id,
    release_concept_ids,
    reserve_concept_ids,
    stage_plan,
    swap_plan,
)
from .settle import settle_search_structures

if TYPE_CHECKING:
    from .import_workers import ImportWorkers

log = logging.getLogger(__name__)
SWAP_ATTEMPTS = 3
# From this many new or merged concepts on, an import settles the search structures after it.
LARGE_IMPORT = 10_000
# The page's poll records that someone still watches at most this often (a write each time).
CLIENT_NOTE_INTERVAL = timedelta(seconds=5)
DEFAULTS = {
    "IMPORT_WORKERS": 2,
    "IMPORT_CLIENT_TIMEOUT_SECONDS": 60,
    "IMPORT_JOB_STALE_SECONDS": 300,
    "IMPORT_REPORT_KEEP_DAYS": 30,
}


class JobStopped(Exception):
    """The job was cancelled, or its page went away: stop and leave nothing."""


def job_setting(app: Flask, name: str) -> int:
    """One of the import settings: the app's, or the default."""
    return int(app.config.get(name, DEFAULTS[name]))


def create_job(
    session: Session,
    *,
    kind: str,
    filename: str,
    sha256: str,
    options: dict[str, Any],
    actor: User | None,
    watched: bool,
    worker: str = "",
) -> ImportJob:
    """A new job row (added and flushed; the caller commits). ``watched``: it stops when its page is gone."""
    job = ImportJob(kind=kind, status="queued", phase="waiting", filename=filename[:255], sha256=sha256,
                    options=options, user_id=actor.id if actor else None,
                    user_name=actor.name if actor else "system", worker=worker,
                    client_seen_at=utcnow() if watched else None)  # fmt: skip
    session.add(job)
    session.flush()
    return job


def parse_job_file(raw: bytes, options: dict[str, Any]) -> ParsedGlossary:
    """Read the job's file the way its options say (a bad mapping is a format error too)."""
    mapping = parse_mapping(options["mapping"]) if options.get("mapping") else None
    return parse_glossary(raw, options.get("fmt"), mapping, options.get("direction"))


@dataclass
class _Run:
    """One job being run: its session, row and settings."""

    app: Flask
    session: Session
    job: ImportJob
    progress: Callable[[ImportJob], None] | None
    ids: ConceptIds | None = None  # an apply's reserved ids, to hand back what it does not use

    def save(self, **values: Any) -> None:
        """Progress and heartbeat, in a short transaction of their own."""
        for name, value in values.items():
            setattr(self.job, name, value)
        self.job.heartbeat_at = utcnow()
        self.session.commit()
        if self.progress is not None:
            self.progress(self.job)

    def checkpoint(self) -> None:
        """Stop here if the job was cancelled or nobody watches it any more."""
        cancelled, seen = self.session.execute(
            select(ImportJob.cancel_requested, ImportJob.client_seen_at).where(ImportJob.id == self.job.id)
        ).one()
        self.session.commit()
        if cancelled:
            raise JobStopped("Cancelled.")
        timeout = job_setting(self.app, "IMPORT_CLIENT_TIMEOUT_SECONDS")
        if seen is not None and utcnow() - seen > timedelta(seconds=timeout):
            raise JobStopped("Stopped: the page that started it was closed.")


def run_job(
    app: Flask,
    job_id: int,
    raw: bytes,
    *,
    progress: Callable[[ImportJob], None] | None = None,
    on_finished: Callable[[ImportJob], None] | None = None,
    worker: str = "",
    reraise: bool = False,
) -> ImportReport | None:
    """Run a job to its end in this thread; its row says how it ended. Returns the report, if there is one.

    A cancelled job, or one interrupted (Ctrl-C), ends as cancelled and returns None.
    """
    session = Session(db.engine, expire_on_commit=False)
    job = session.get(ImportJob, job_id)
    if job is None or job.status != "queued":
        session.close()
        return None
    run = _Run(app, session, job, progress)
    report = None
    try:
        run.save(status="running", phase="reading", worker=worker or job.worker)
        sweep_leftovers(session, job_setting(app, "IMPORT_REPORT_KEEP_DAYS"))
        run.checkpoint()
        report = _plan_and_apply(run, raw)
    except FormatError as exc:
        _end(run, "failed", error=exc.message, error_line=exc.line)
        if reraise:
            raise
    except (JobStopped, KeyboardInterrupt) as exc:
        _clean_up(run)
        _end(run, "cancelled", error=str(exc) if isinstance(exc, JobStopped) else "Interrupted.")
    except Exception as exc:
        _clean_up(run)
        busy = isinstance(exc, OperationalError) and is_busy(exc)
        if not busy:
            log.exception("import job %s failed", job_id)
        message = (
            "The database stayed busy with other writes for too long." if busy else "Something went wrong on our side."
        )
        _end(run, "failed", error=f"{message} Nothing was imported.")
        if reraise:
            raise
    finally:
        if on_finished is not None:
            try:
                on_finished(job)
            except Exception:
                log.exception("after import job %s", job_id)
        session.close()
    return report if job.status == "finished" else None


def _plan_and_apply(run: _Run, raw: bytes) -> ImportReport:
    job, session = run.job, run.session
    parsed = parse_job_file(raw, job.options)
    run.save(
        phase="matching",
        file_format=parsed.format,
        encoding=parsed.encoding,
        warnings=list(parsed.warnings),
        total=len(parsed.concepts),
        done=0,
    )
    applying = job.kind == "apply"
    watermark = history_watermark(session) if applying else 0
    if applying:
        ids = ConceptIds(lambda count, floor: _reserve(session, count, floor), block=len(parsed.concepts))
    else:
        ids = ConceptIds(first=next_concept_id(session))
    run.ids = ids
    planner = Planner(
        session,
        parsed.data,
        ids=ids,
        keep_ids=parsed.format == "json",
        default_status=job.options.get("default_status", "approved"),
        dry_run=not applying,
    )
    written = 0

    def after_batch(done: int) -> None:
        nonlocal written
        _write_outcomes(session, job.id, planner.plan_.report, written, done)
        written = done
        run.save(done=done)
        run.checkpoint()

    plan = planner.plan(_consumed(parsed), after_batch)
    if applying and plan.report.ok:
        _apply(run, plan, watermark)
    _end(run, "finished", counts=_counts(plan.report))
    return plan.report


def _consumed(parsed: ParsedGlossary) -> Iterator[tuple[int | None, Any]]:
    """The file's concepts in order, each let go of once handed over: a large backup is not held twice."""
    concepts = cast("list[dict[str, Any] | None]", parsed.concepts)  # each slot emptied once handed over
    for index, line in enumerate(parsed.lines):
        concept, concepts[index] = concepts[index], None
        yield line, concept


def _reserve(session: Session, count: int, floor: int) -> list[int]:
    ids = reserve_concept_ids(session, count, floor)
    session.commit()
    return ids


def _write_outcomes(session: Session, job_id: int, report: ImportReport, start: int, end: int) -> None:
    rows = [{"job_id": job_id, "position": position, "line": item.line, "outcome": item.outcome,
             "label": item.label, "concept_id": item.concept_id, "detail": item.detail,
             "provisional": item.provisional}
            for position, item in enumerate(report.outcomes[start:end], start)]  # fmt: skip
    if rows:
        session.execute(insert(ImportJobOutcome.__table__), rows)


def _apply(run: _Run, plan: ImportPlan, watermark: int) -> None:
    """Stage the plan, then swap it in under the lock (again if the database was busy)."""
    job, session, ids = run.job, run.session, run.ids
    assert ids is not None
    if plan.fixed_ids:  # ids kept from the file: no new concept of anyone else's may take them meanwhile
        _reserve(session, 0, max(plan.fixed_ids))
    run.save(phase="staging", done=0, total=0)

    def after_batch(done: int, total: int) -> None:
        run.save(done=done, total=total)
        run.checkpoint()

    stage_plan(session, job.id, plan, "import", after_batch)
    run.save(phase="applying", done=0, total=1)
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            lock_for_swap(session)
            if session.scalar(select(ImportJob.cancel_requested).where(ImportJob.id == job.id)):
                raise JobStopped("Cancelled.")
            swap_plan(session, job, plan, watermark)
            release_concept_ids(session, ids.reserved)
            # The job is done in the same transaction that makes its concepts visible.
            job.status, job.phase, job.done = "finished", "done", 1
            job.counts, job.finished_at, job.heartbeat_at = _counts(plan.report), utcnow(), utcnow()
            session.commit()
            break
        except (StaleSwap, OperationalError) as exc:
            session.rollback()
            if attempt == SWAP_ATTEMPTS or (isinstance(exc, OperationalError) and not is_busy(exc)):
                raise
            log.info("import job %s: swap attempt %s failed (%s); trying again", job.id, attempt, exc)
    discard_staged(session, job.id)
    if plan.report.counts.get("new", 0) + plan.report.counts.get("merged", 0) >= LARGE_IMPORT:
        if run.progress is not None:
            run.progress(job)  # done: whoever follows the job sees it so before the settling below
        _settle(run)


def _settle(run: _Run) -> None:
    """After a large import: the full-text indexes merged and the term-recognition tables built now, by
    the job, rather than by the next readers (``flask optimize`` does the same). The import itself is
    done and stays done whatever happens here."""
    try:
        with run.app.app_context():
            settle_search_structures(db.engine, run.session)
        run.session.rollback()
    except Exception:
        log.exception("import job %s: settling the search structures after the import", run.job.id)


def _counts(report: ImportReport) -> dict[str, int]:
    return {**report.counts, "evidence_added": report.evidence_added, "evidence_skipped": report.evidence_skipped}


def _clean_up(run: _Run) -> None:
    """Whatever a stopped or failed job wrote is removed: staging rows, report rows, unused ids."""
    session = run.session
    try:
        session.rollback()
        discard_staged(session, run.job.id, outcomes=True)
        if run.ids is not None and run.ids.reserved is not None:
            release_concept_ids(session, run.ids.reserved)
            session.commit()
    except OperationalError:
        session.rollback()
        log.warning("import job %s: leftovers not removed yet (database busy)", run.job.id)


def _end(run: _Run, status: str, **values: Any) -> None:
    session, job = run.session, run.job
    session.rollback()
    if job.status == "finished" and status == "finished":  # the swap already said so
        if run.progress is not None:
            run.progress(job)
        return
    values.setdefault("phase", "done")
    try:
        run.save(status=status, finished_at=utcnow(), **values)
    except OperationalError:
        session.rollback()
        log.warning("import job %s: could not record that it %s (database busy)", job.id, status)


def sweep_leftovers(session: Session, keep_days: int) -> None:
    """Staging rows of jobs that have ended (a process that died between the swap and its clean-up),
    and the reports of jobs that ended more than ``keep_days`` ago: each job starts by removing them."""
    ended = select(ImportJob.id).where(ImportJob.status.not_in(JOB_ACTIVE))
    for model in STAGED:
        for job_id in session.scalars(select(model.job_id).distinct().where(model.job_id.in_(ended))).all():
            discard_staged(session, job_id)
    old = ended.where(ImportJob.finished_at < utcnow() - timedelta(days=keep_days))
    for job_id in session.scalars(
        select(ImportJobOutcome.job_id).distinct().where(ImportJobOutcome.job_id.in_(old))
    ).all():
        discard_staged(session, job_id, outcomes=True)
    session.commit()


def describe_progress(job: ImportJob) -> str:
    """Where a running job is, in words (for its page, the page's script and the CLI)."""
    if job.status == "queued":
        return "Waiting to start…"
    if job.phase == "matching":
        return f"Matching the file's concepts against the glossary: {job.done:,} of {job.total:,}."
    if job.phase == "staging":
        return f"Preparing what to add: {job.done:,} of {job.total:,} rows."
    if job.phase == "applying":
        return "Adding everything to the glossary at once…"
    return "Reading the file…"


def get_job(session: Session, job_id: int, workers: ImportWorkers) -> ImportJob:
    """The job, marked failed first if the process running it is gone."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"No import has id {job_id}.")
    if job.active and _worker_gone(job, workers):
        gone = (
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.status.in_(JOB_ACTIVE))
            .values(
                status="failed",
                phase="done",
                finished_at=utcnow(),
                error="The import stopped: the process running it ended. Nothing was imported.",
            )
        )
        result = cast("CursorResult[Any]", session.execute(gone))  # an UPDATE's result has a rowcount
        if result.rowcount:
            session.commit()
            discard_staged(session, job.id, outcomes=True)
        session.refresh(job)
    return job


def _worker_gone(job: ImportJob, workers: ImportWorkers) -> bool:
    if job.worker and job.worker == workers.worker_id:
        return not workers.is_running(job.id)
    seen = job.heartbeat_at or job.created_at
    return utcnow() - seen > timedelta(seconds=job_setting(workers.app, "IMPORT_JOB_STALE_SECONDS"))


def recent_jobs(session: Session, limit: int = 10) -> list[ImportJob]:
    return list(session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)))


def request_cancel(session: Session, job: ImportJob) -> bool:
    """Ask the job to stop before its next batch (True), or say it has already ended (False)."""
    if not job.active:
        return False
    session.execute(update(ImportJob).where(ImportJob.id == job.id).values(cancel_requested=True))
    return True


def note_client(session: Session, job: ImportJob, now: datetime | None = None) -> None:
    """The page still watches this job: noted at most every few seconds, in a transaction of its own."""
    now = now or utcnow()
    if not job.active or job.client_seen_at is None or now - job.client_seen_at < CLIENT_NOTE_INTERVAL:
        return
    try:
        bind = session.get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        with engine.begin() as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == job.id, ImportJob.client_seen_at.is_not(None))
                .values(client_seen_at=now)
            )
    except OperationalError as error:
        if not is_busy(error):
            raise
        return  # the next poll will do; the timeout is far longer than the interval
    job.client_seen_at = now


def job_outcomes(
    session: Session, job_id: int, *, outcome: str | None = None, page: int = 1, per_page: int = 200
) -> tuple[list[ImportJobOutcome], int]:
    """One page of a job's report (optionally of one outcome), in file order, and how many rows match."""
    where = [ImportJobOutcome.job_id == job_id]
    if outcome:
        where.append(ImportJobOutcome.outcome == outcome)
    total = session.scalar(select(func.count()).select_from(ImportJobOutcome).where(*where)) or 0
    rows = session.scalars(
        select(ImportJobOutcome)
        .where(*where)
        .order_by(ImportJobOutcome.position)
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total
