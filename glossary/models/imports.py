"""The bookkeeping of glossary imports: jobs, their reports, and the staging tables they fill.

A large import must never hold the database for minutes, so it runs as a job
(``ImportJob``, the one source of truth about it, whichever process runs it).
Its report goes to ``ImportJobOutcome`` a batch at a time, so that a page of it
can be shown without holding 30,000 rows in a page. An import that writes
fills the ``Staged*`` tables in short transactions, which nobody else reads;
one short transaction then copies them into the glossary (see
``services/import_write.py``), so an import is seen whole or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import NEVER_REUSE_IDS, _in, utcnow

JOB_KINDS = ("preview", "apply")
JOB_STATUSES = ("queued", "running", "finished", "failed", "cancelled")
JOB_ACTIVE = ("queued", "running")


def _job_id() -> Mapped[int]:
    # Deleting a job (never done by the service) takes its leftovers with it.
    return mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"))


class ImportJob(db.Model):
    """One preview or apply of a glossary file, with its progress and outcome."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    # reading, matching, staging, applying, done: what the counters below count.
    phase: Mapped[str] = mapped_column(String(20), default="waiting")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    # How to read the file and what new concepts become: fmt, mapping, direction, default_status, upload_id.
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_format: Mapped[str | None] = mapped_column(String(20))
    encoding: Mapped[str | None] = mapped_column(String(40))
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Outcome counts (new, merged, unchanged, conflicting, error) and evidence_added / evidence_skipped.
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Why it failed or was cancelled, in words for the admin; the file's line when a format error has one.
    error: Mapped[str | None] = mapped_column(Text)
    error_line: Mapped[int | None] = mapped_column(Integer)
    # No foreign key, as in the history: the record of an import outlives its user.
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(80), default="system")
    # host:pid:token of the process whose thread runs it; its heartbeat says it still does.
    worker: Mapped[str] = mapped_column(String(200), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # Jobs started from the page stop when the page stops asking; None: nobody watches (the CLI).
    client_seen_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(_in("kind", JOB_KINDS), name="kind"),
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        NEVER_REUSE_IDS,
    )

    @property
    def active(self) -> bool:
        return self.status in JOB_ACTIVE

    @property
    def ok(self) -> bool:
        """Finished with no malformed entry: a preview that may be applied, an apply that wrote."""
        return self.status == "finished" and not (self.counts or {}).get("error")


class ImportJobOutcome(db.Model):
    """One line of a job's report: what became, or would become, of one concept of the file."""

    __tablename__ = "import_job_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = _job_id()
    position: Mapped[int] = mapped_column(Integer)  # the concept's place in the file, from 0
    line: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text, default="")
    concept_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    # A preview's id for a concept the import would create: not a link yet.
    provisional: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_import_job_outcome_job_position", "job_id", "position", unique=True),
        Index("ix_import_job_outcome_job_outcome", "job_id", "outcome", "position"),
    )


class StagedConcept(db.Model):
    """A concept an import will create, under the id reserved for it."""

    __tablename__ = "import_staged_concept"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = _job_id()
    concept_id: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str | None] = mapped_column(String(100))
    definition: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_import_staged_concept_job", "job_id", "concept_id"),)


class StagedTerm(db.Model):
    """A term an import will add (to a new concept or an existing one), search keys computed."""

    __tablename__ = "import_staged_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = _job_id()
    concept_id: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    zh_hans: Mapped[str | None] = mapped_column(String(500))
    zh_hant: Mapped[str | None] = mapped_column(String(500))
    pinyin: Mapped[str | None] = mapped_column(String(1000))
    pinyin_key: Mapped[str | None] = mapped_column(String(1000))
    pinyin_numbered: Mapped[str | None] = mapped_column(String(1000))
    pinyin_initials: Mapped[str | None] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_import_staged_term_job", "job_id", "concept_id"),)


class StagedRevision(db.Model):
    """A history entry an import will record (the user and time are the job's, set when applied)."""

    __tablename__ = "import_staged_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = _job_id()
    concept_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_import_staged_revision_job", "job_id", "concept_id"),)


class StagedEvidence(db.Model):
    """An evidence sentence an import will add; its source is named by SHA-256 until applied."""

    __tablename__ = "import_staged_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = _job_id()
    concept_id: Mapped[int] = mapped_column(Integer)
    source_key: Mapped[str] = mapped_column(String(64))
    term: Mapped[str] = mapped_column(String(1000), default="")
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_import_staged_evidence_job", "job_id", "concept_id"),)
