"""Mining documents into the review queue: sources, evidence and new candidates.

The text work is :mod:`glossary.mining` (pure); this module decides what is
written. Mining is idempotent: a file already mined (same SHA-256) adds
nothing, a proposal already known gains only the new evidence, and a proposal
once rejected is never put in the queue again. Every file is read before
anything is mined, so an unreadable one stops the whole batch with nothing
written. Services add and flush; the caller commits once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..mining import Candidate as MinedCandidate
from ..mining import UnreadableDocument, decode_with_encoding, mine_texts
from ..models import Candidate, Evidence, Source, User
from .candidates import candidate_dedupe_key
from .revisions import record_revision

Progress = Callable[[str], None]
# A reviewer needs a few sentences, not every one of 20,000 repeats: the count keeps the total.
MAX_EVIDENCE_PER_SOURCE = 20


@dataclass
class DocumentText:
    """One file, read: its name as given, bytes, decoded text and encoding."""

    name: str
    data: bytes
    text: str
    encoding: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class FileReport:
    """What mining did with one file."""

    name: str
    status: str  # mined, already mined
    candidates: int = 0
    new_candidates: int = 0
    evidence: int = 0

    def describe(self) -> str:
        if self.status == "already mined":
            return f"{self.name}: already mined, nothing added"
        return (f"{self.name}: {self.candidates} candidates ({self.new_candidates} new), "
                f"{self.evidence} pieces of evidence")


@dataclass
class MiningReport:
    """The outcome of one mining run, file by file and in total."""

    files: list[FileReport] = field(default_factory=list)
    new_candidates: int = 0
    known_candidates: int = 0
    rejected_skipped: int = 0

    def summary(self) -> str:
        mined = sum(1 for f in self.files if f.status == "mined")
        return (f"{mined} of {len(self.files)} files mined: {self.new_candidates} new candidates in the review "
                f"queue, {self.known_candidates} already known, {self.rejected_skipped} once rejected and "
                "not proposed again")


def read_documents(files: list[tuple[str, bytes]]) -> list[DocumentText]:
    """Decode every file first; any unreadable one refuses the batch, naming each bad file."""
    documents, problems = [], []
    for name, data in files:
        try:
            text, encoding = decode_with_encoding(data, name)
        except UnreadableDocument as error:
            problems.append(str(error))
            continue
        documents.append(DocumentText(name, data, text, encoding))
    if problems:
        raise ValidationFailed("; ".join(problems), details={"files": problems})
    return documents


def mine_documents_dry(documents: list[DocumentText]) -> list[MinedCandidate]:
    """Mine without touching the database: what ``--dry-run`` prints."""
    return mine_texts([(document.name, document.text) for document in documents])


def mine_documents(session: Session, documents: list[DocumentText],
                   progress: Progress | None = None, actor: User | None = None) -> MiningReport:
    """Record sources and evidence, and put new candidates in the review queue.

    Each mined file is one entry in the audit trail, under ``actor`` (None: the system).
    """
    say = progress or (lambda message: None)
    report = MiningReport()
    fresh: list[tuple[DocumentText, Source]] = []
    seen_hashes: set[str] = set()
    for document in documents:
        digest = document.sha256
        if digest in seen_hashes or session.scalar(select(Source.id).where(Source.sha256 == digest)):
            report.files.append(FileReport(document.name, "already mined"))
            say(f"{document.name}: already mined")
            continue
        seen_hashes.add(digest)
        source = Source(filename=_base_name(document.name)[:255], title=_title(document.text), sha256=digest,
                        encoding=document.encoding, size=len(document.data))
        session.add(source)
        fresh.append((document, source))
    if not fresh:
        return report
    session.flush()
    say(f"mining {len(fresh)} file(s)…")
    keys = [str(index) for index in range(len(fresh))]  # names may repeat; positions do not
    mined = mine_texts([(key, document.text) for key, (document, _) in zip(keys, fresh, strict=True)])
    per_file = {key: FileReport(document.name, "mined") for key, (document, _) in zip(keys, fresh, strict=True)}
    sources = {key: source for key, (_, source) in zip(keys, fresh, strict=True)}
    for proposal in mined:
        _record(session, proposal, sources, per_file, report)
    session.flush()
    report.files.extend(per_file.values())
    for key, file_report in per_file.items():
        source = sources[key]
        record_revision(session, concept_id=None, actor=actor, action="mine", before=None, after={
            "source_id": source.id, "filename": source.filename, "sha256": source.sha256,
            "candidates": file_report.candidates, "new_candidates": file_report.new_candidates,
            "evidence": file_report.evidence})
        say(file_report.describe())
    return report


def _record(session: Session, proposal: MinedCandidate, sources: dict[str, Source],
            per_file: dict[str, FileReport], report: MiningReport) -> None:
    key = candidate_dedupe_key(proposal.zh, proposal.en, proposal.abbr)
    candidate = session.scalar(select(Candidate).where(Candidate.dedupe_key == key))
    if candidate is not None and candidate.status == "rejected":
        report.rejected_skipped += 1
        return
    files = {source["file"] for source in proposal.sources}
    if candidate is None:
        candidate = Candidate(zh=proposal.zh[:500], en=proposal.en[:500], abbr=proposal.abbr[:100], dedupe_key=key,
                              confidence=proposal.confidence, count=0, status="new",
                              alternatives=proposal.alternatives)
        session.add(candidate)
        session.flush()
        report.new_candidates += 1
        for name in files:
            per_file[name].new_candidates += 1
    else:
        report.known_candidates += 1
        candidate.confidence = max(candidate.confidence or 0.0, proposal.confidence)
    candidate.count = (candidate.count or 0) + proposal.count
    term = proposal.zh or proposal.en
    kept: dict[str, int] = {}
    for found in proposal.sources:
        name = found["file"]
        kept[name] = kept.get(name, 0) + 1
        if kept[name] > MAX_EVIDENCE_PER_SOURCE:
            continue
        session.add(Evidence(source_id=sources[name].id, candidate_id=candidate.id, concept_id=candidate.concept_id,
                             term=term[:1000], sentence=found["sentence"], start=found["start"], end=found["end"]))
        per_file[name].evidence += 1
    for name in files:
        per_file[name].candidates += 1


def _base_name(name: str) -> str:
    """The file's own name: no folders, no leading dots (it is shown, never used as a path)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].lstrip(". ") or "upload.txt"


def _title(text: str) -> str | None:
    """The first non-empty line: for an article, usually its title."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:1000]
    return None
