"""Mining documents into the review queue: sources, evidence and new candidates.

The text work is :mod:`glossary.mining` (pure); this module decides what is
written. Mining is idempotent: a file already mined (same SHA-256) adds
nothing, a proposal already known gains only the new evidence (its rationale,
why the miner read it so, is refreshed and its recurrence counts add up), and a
proposal once rejected is never put in the queue again. The approved glossary's
term pairs go to the miner, which learns from them how words translate. Every
file is read before anything is mined, so an unreadable one stops the whole
batch with nothing written.

Nothing is written while the miner thinks: the reads come first, then the
mining, then one short burst of writes with candidates looked up in bulk and
rows inserted in batches, so the write lock is held for the storing only.
Services add and flush; the caller commits once, so a run is stored whole or
not at all. Zero-width characters and bidirectional controls are taken out of
mined terms, as the concept service drops or refuses them in typed ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from flask import current_app, has_app_context
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..errors import Conflict, ValidationFailed
from ..ingest import DocumentLimits, ReadDocument, read_document
from ..mining import Candidate as MinedCandidate
from ..mining import UnreadableDocument, mine_texts
from ..models import Candidate, Concept, Evidence, Source, Term, User
from ..models.rules import FIELD_LIMITS
from ..text import drop_invisible
from .candidates import candidate_dedupe_key
from .rationale import clean_rationale, combine_alternatives, combine_rationales, stored_alternatives
from .revisions import record_revision

Progress = Callable[[str], None]
# A reviewer needs a few sentences, not every one of 20,000 repeats: the count keeps the total.
MAX_EVIDENCE_PER_SOURCE = 20
# Rows a statement: few round trips, yet well under every back end's limit on bound parameters.
LOOKUP_BATCH = 500
INSERT_BATCH = 1000


@dataclass
class DocumentText:
    """One file, read: its name as given, its bytes, and what the reader made of them.

    ``text`` is what the miner reads; ``read`` maps its offsets back to the
    original (Markdown, HTML) and to pages (PDF). Without ``read`` (a text
    built in code) the text is its own original and has no pages.
    """

    name: str
    data: bytes
    text: str
    encoding: str | None
    read: ReadDocument | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def kind(self) -> str:
        return self.read.kind if self.read else "text"

    @property
    def pages(self) -> int | None:
        return self.read.pages if self.read else None

    def locate(self, start: int, end: int) -> tuple[int, int, int | None]:
        """``text[start:end]`` as stored evidence: its span in the original, and its page."""
        if self.read is None:
            return start, end, None
        original_start, original_end = self.read.original_span(start, end)
        return original_start, original_end, self.read.page_at(start)


@dataclass
class FileReport:
    """What mining did with one file."""

    name: str
    status: str  # mined, already mined
    candidates: int = 0
    new_candidates: int = 0
    evidence: int = 0
    kind: str = "text"  # what the reader took the file for: pdf, docx, markdown, html, text
    pages: int | None = None
    characters: int = 0

    @classmethod
    def of(cls, document: DocumentText, status: str) -> FileReport:
        return cls(document.name, status, kind=document.kind, pages=document.pages, characters=len(document.text))

    def describe(self) -> str:
        if self.status == "already mined":
            return f"{self.name}: already mined, nothing added"
        return (
            f"{self.name}: {self.candidates} candidates ({self.new_candidates} new), {self.evidence} pieces of evidence"
        )


@dataclass
class MiningReport:
    """The outcome of one mining run, file by file and in total."""

    files: list[FileReport] = field(default_factory=list)
    new_candidates: int = 0
    known_candidates: int = 0
    rejected_skipped: int = 0

    def summary(self) -> str:
        mined = sum(1 for f in self.files if f.status == "mined")
        return (
            f"{mined} of {len(self.files)} files mined: {self.new_candidates} new candidates in the review "
            f"queue, {self.known_candidates} already known, {self.rejected_skipped} once rejected and "
            "not proposed again"
        )


def document_limits() -> DocumentLimits:
    """The reading limits the app is configured with (``INGEST_*``), or the defaults outside an app."""
    return DocumentLimits.from_config(current_app.config) if has_app_context() else DocumentLimits()


def read_each(
    files: list[tuple[str, bytes]], limits: DocumentLimits | None = None
) -> tuple[list[DocumentText], list[dict[str, str]]]:
    """Read every file (PDF, Word, Markdown, HTML, text) on its own: the readable documents, and each
    refused file as ``{filename, code, reason, message}`` (``code``: the reader's one word for why).

    This is the upload policy of every door: the readable files are mined, the
    refused ones are reported, each with its reason.
    """
    limits = limits or document_limits()
    documents: list[DocumentText] = []
    refused: list[dict[str, str]] = []
    for name, data in files:
        try:
            read = read_document(data, name, limits)
        except UnreadableDocument as error:
            refused.append(
                {
                    "filename": name,
                    "code": getattr(error, "code", "unreadable"),
                    "reason": error.reason,
                    "message": str(error),
                }
            )
            continue
        documents.append(DocumentText(name, data, read.text, read.encoding, read))
    return documents, refused


def refusal(refused: list[dict[str, str]]) -> ValidationFailed:
    """The error for files none of which could be read: each named with its reason."""
    problems = [item["message"] for item in refused]
    return ValidationFailed(
        "; ".join(problems),
        details={
            "files": problems,
            "refused": [{key: item[key] for key in ("filename", "code", "reason")} for item in refused],
        },
    )


class UploadPolicy(StrEnum):
    """What a batch does with a file that cannot be read."""

    EACH_FILE = "each-file"  # the readable files are mined, the refused ones reported (page, API, CLI default)
    ALL_OR_NOTHING = "all-or-nothing"  # one refused file refuses the batch (``flask mine --strict``)


def read_uploads(
    files: list[tuple[str, bytes]], policy: UploadPolicy, limits: DocumentLimits | None = None
) -> tuple[list[DocumentText], list[dict[str, str]]]:
    """:func:`read_each` under ``policy``: the readable documents and the refused files; raises
    :func:`refusal` when nothing is readable, or, all or nothing, when any file is refused."""
    documents, refused = read_each(files, limits)
    if refused and (not documents or policy is UploadPolicy.ALL_OR_NOTHING):
        raise refusal(refused)
    return documents, refused


def read_documents(files: list[tuple[str, bytes]], limits: DocumentLimits | None = None) -> list[DocumentText]:
    """The documents of files all expected readable: :func:`read_uploads`, all or nothing."""
    return read_uploads(files, UploadPolicy.ALL_OR_NOTHING, limits)[0]


def mine_documents_dry(documents: list[DocumentText]) -> list[MinedCandidate]:
    """Mine without touching the database: what ``--dry-run`` prints.

    Each source's offsets are given as they would be stored (in the original
    Markdown or HTML), with ``page`` for a PDF.
    """
    keys = [str(index) for index in range(len(documents))]  # names may repeat; positions do not
    mined = mine_texts([(key, document.text) for key, document in zip(keys, documents, strict=True)])
    by_key = dict(zip(keys, documents, strict=True))
    for proposal in mined:
        for found in proposal.sources:
            document = by_key[found["file"]]
            found["file"] = document.name
            found["start"], found["end"], page = document.locate(found["start"], found["end"])
            if page is not None:
                found["page"] = page
    return mined


def approved_term_pairs(session: Session) -> list[tuple[str, str]]:
    """(preferred Chinese, preferred English) of every approved concept that has both, in one query.

    The miner learns from them which Chinese words translate which English ones.
    A concept with two preferred terms in a language gives its first of each.
    """
    zh, en = aliased(Term), aliased(Term)
    rows = session.execute(
        select(zh.concept_id, zh.text, en.text)
        .join(en, en.concept_id == zh.concept_id)
        .join(Concept, Concept.id == zh.concept_id)
        .where(
            Concept.status == "approved",
            zh.lang == "zh",
            zh.kind == "full",
            zh.status == "preferred",
            en.lang == "en",
            en.kind == "full",
            en.status == "preferred",
        )
        .order_by(zh.concept_id, zh.id, en.id)
    )
    first: dict[int, tuple[str, str]] = {}
    for concept_id, zh_text, en_text in rows:
        first.setdefault(concept_id, (zh_text, en_text))
    return list(first.values())


def mine_documents(
    session: Session, documents: list[DocumentText], progress: Progress | None = None, actor: User | None = None
) -> MiningReport:
    """Record sources and evidence, and put new candidates in the review queue.

    Reads and mines first, writing nothing: the CPU-bound mining never holds the
    database's write lock, so editors and other writers carry on meanwhile. Then
    one short burst of writes (the caller commits it once): candidates looked up
    in bulk, new rows inserted in batches. Each mined file is one entry in the
    audit trail, under ``actor`` (None: the system).
    """
    say = progress or (lambda message: None)
    report = MiningReport()
    with session.no_autoflush:  # anything the caller left pending waits for the writes below
        fresh = _unmined(session, documents, report, say)
        if not fresh:
            return report
        known_pairs = approved_term_pairs(session)
    say(f"mining {len(fresh)} file(s)…")
    keys = [str(index) for index in range(len(fresh))]  # names may repeat; positions do not
    mined = mine_texts(
        [(key, document.text) for key, document in zip(keys, fresh, strict=True)], known_pairs=known_pairs
    )
    say(f"storing {len(mined)} candidate(s)…")
    _store(session, dict(zip(keys, fresh, strict=True)), [_visible(proposal) for proposal in mined], report, actor)
    for file_report in report.files:
        if file_report.status == "mined":
            say(file_report.describe())
    return report


def _unmined(
    session: Session, documents: list[DocumentText], report: MiningReport, say: Progress
) -> list[DocumentText]:
    """The documents not mined before (by SHA-256, in one query), each once; the others are reported."""
    digests = {document.sha256 for document in documents}
    stored = set(session.scalars(select(Source.sha256).where(Source.sha256.in_(digests)))) if digests else set()
    fresh: list[DocumentText] = []
    for document in documents:
        if document.sha256 in stored:
            report.files.append(FileReport.of(document, "already mined"))
            say(f"{document.name}: already mined")
            continue
        stored.add(document.sha256)
        fresh.append(document)
    return fresh


def _visible(proposal: MinedCandidate) -> MinedCandidate:
    """The proposal without zero-width characters or bidirectional controls in its terms.

    Articles carry them invisibly (a left-to-right mark pasted with an English
    name); a term keeps none, and the page and the API refuse or drop them too.
    """
    return replace(
        proposal, zh=drop_invisible(proposal.zh), en=drop_invisible(proposal.en), abbr=drop_invisible(proposal.abbr)
    )


def _store(
    session: Session,
    documents: dict[str, DocumentText],
    mined: list[MinedCandidate],
    report: MiningReport,
    actor: User | None,
) -> None:
    """The write burst: sources, candidates (looked up in bulk), evidence (inserted in batches), revisions."""
    sources = {
        key: Source(
            filename=_base_name(document.name)[:255],
            title=_title(document.text),
            sha256=document.sha256,
            encoding=document.encoding,
            size=len(document.data),
            kind=document.kind,
            pages=document.pages,
            characters=len(document.text),
        )
        for key, document in documents.items()
    }
    per_file = {key: FileReport.of(document, "mined") for key, document in documents.items()}
    session.add_all(sources.values())
    try:
        session.flush()
    except IntegrityError as error:  # the same file, stored by another upload since it was looked up
        session.rollback()
        raise Conflict(
            "One of these files was mined by another upload at the same moment; nothing was "
            "stored. Send it again to see it as already mined."
        ) from error
    proposals = [(candidate_dedupe_key(p.zh, p.en, p.abbr), p) for p in mined if p.zh or p.en or p.abbr]
    known = _candidates_by_key(session, {key for key, _ in proposals})
    new: list[Candidate] = []
    kept: list[tuple[Candidate, MinedCandidate]] = []
    for key, proposal in proposals:
        candidate = known.get(key)
        if candidate is not None and candidate.status == "rejected":
            report.rejected_skipped += 1
            continue
        files = {found["file"] for found in proposal.sources}
        if candidate is None:
            candidate = Candidate(
                zh=proposal.zh[: FIELD_LIMITS["term"]],
                en=proposal.en[: FIELD_LIMITS["term"]],
                abbr=proposal.abbr[: FIELD_LIMITS["abbreviation"]],
                dedupe_key=key,
                confidence=proposal.confidence,
                count=0,
                status="new",
                alternatives=stored_alternatives(proposal.alternatives),
                rationale=clean_rationale(proposal.evidence),
            )
            known[key] = candidate
            new.append(candidate)
            report.new_candidates += 1
            for name in files:
                per_file[name].new_candidates += 1
        else:
            report.known_candidates += 1
            candidate.confidence = max(candidate.confidence or 0.0, proposal.confidence)
            # New objects, not edits in place: a plain JSON column only saves what is reassigned.
            candidate.rationale = combine_rationales(candidate.rationale, proposal.evidence)
            candidate.alternatives = combine_alternatives(candidate.alternatives, proposal.alternatives)
        candidate.count = (candidate.count or 0) + proposal.count
        for name in files:
            per_file[name].candidates += 1
        kept.append((candidate, proposal))
    for batch in _batches(new):
        session.add_all(batch)
        session.flush()  # the new candidates' ids, for their evidence
    evidence = [
        row for candidate, proposal in kept for row in _evidence_rows(candidate, proposal, sources, documents, per_file)
    ]
    for batch in _batches(evidence):
        session.execute(insert(Evidence), batch)
    session.flush()
    report.files.extend(per_file.values())
    for key, file_report in per_file.items():
        source = sources[key]
        record_revision(
            session,
            concept_id=None,
            actor=actor,
            action="mine",
            before=None,
            after={
                "source_id": source.id,
                "filename": source.filename,
                "sha256": source.sha256,
                "candidates": file_report.candidates,
                "new_candidates": file_report.new_candidates,
                "evidence": file_report.evidence,
            },
        )


def _candidates_by_key(session: Session, keys: set[str]) -> dict[str, Candidate]:
    """The stored candidates with these dedupe keys, a few hundred keys a query."""
    ordered = sorted(keys)
    found: dict[str, Candidate] = {}
    for batch in _batches(ordered, LOOKUP_BATCH):
        stmt = select(Candidate).where(Candidate.dedupe_key.in_(batch))
        found.update((candidate.dedupe_key, candidate) for candidate in session.scalars(stmt))
    return found


def _evidence_rows(
    candidate: Candidate,
    proposal: MinedCandidate,
    sources: dict[str, Source],
    documents: dict[str, DocumentText],
    per_file: dict[str, FileReport],
) -> list[dict]:
    """The proposal's evidence sentences as rows, at most ``MAX_EVIDENCE_PER_SOURCE`` a file.

    Offsets are stored in the file's original text (the Markdown or HTML as
    written), with the page a PDF printed the sentence on.
    """
    term = (proposal.zh or proposal.en)[:1000]
    rows: list[dict] = []
    kept: dict[str, int] = {}
    for found in proposal.sources:
        name = found["file"]
        kept[name] = kept.get(name, 0) + 1
        if kept[name] > MAX_EVIDENCE_PER_SOURCE:
            continue
        start, end, page = documents[name].locate(found["start"], found["end"])
        rows.append(
            {
                "source_id": sources[name].id,
                "candidate_id": candidate.id,
                "concept_id": candidate.concept_id,
                "term": term,
                "sentence": found["sentence"],
                "start": start,
                "end": end,
                "page": page,
            }
        )
        per_file[name].evidence += 1
    return rows


def _batches(items: list, size: int = INSERT_BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _base_name(name: str) -> str:
    """The file's own name: no folders, no leading dots (it is shown, never used as a path)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].lstrip(". ") or "upload.txt"


def _title(text: str) -> str | None:
    """The first non-empty line: for an article, usually its title."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:1000]
    return None
