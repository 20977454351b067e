"""Uploaded documents: mining what curators upload, and the list of sources.

Each upload is read on its own (PDF, Word, Markdown, HTML or text, by
:mod:`glossary.ingest`), so a refused file (scanned or encrypted PDF, a
``.doc``, a zip bomb, binary or empty input…) is answered with its reason and
stores nothing, while the readable ones in the same upload are mined together
(evidence crosses documents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Candidate, Evidence, Source, User
from .mining import DocumentText, mine_documents, read_each


@dataclass
class SourceSummary:
    """A source with how many of its candidates are in each review state."""

    source: Source
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def waiting(self) -> int:
        return self.counts.get("new", 0)


@dataclass
class UploadResult:
    """What became of one uploaded file, in words a curator can act on."""

    filename: str
    ok: bool
    message: str
    source_id: int | None = None
    code: str | None = None  # why a file was refused, in one word (the reader's code)


KIND_NAMES = {"pdf": "PDF", "docx": "Word", "markdown": "Markdown", "html": "HTML", "text": "text"}


def describe_read(kind: str, pages: int | None, characters: int | None) -> str:
    """What was read, for people: ``PDF, 12 pages, 34,567 characters``."""
    parts = [KIND_NAMES.get(kind, kind)]
    if pages:
        parts.append(f"{pages} page{'' if pages == 1 else 's'}")
    if characters is not None:
        parts.append(f"{characters:,} characters")
    return ", ".join(parts)


def _summaries(session: Session, sources: list[Source]) -> list[SourceSummary]:
    summaries = {s.id: SourceSummary(s) for s in sources}
    rows = session.execute(
        select(Evidence.source_id, Candidate.status, func.count(distinct(Candidate.id)))
        .join(Candidate, Evidence.candidate_id == Candidate.id)
        .where(Evidence.source_id.in_(list(summaries)))
        .group_by(Evidence.source_id, Candidate.status)
    )
    for source_id, status, count in rows:
        summaries[source_id].counts[status] = count
    return list(summaries.values())


def list_sources(session: Session) -> list[SourceSummary]:
    """Every source, newest first, with its candidate counts by status."""
    sources = session.scalars(select(Source).order_by(Source.imported_at.desc(), Source.id.desc())).all()
    return _summaries(session, list(sources))


def _sources_by_digest(session: Session, documents: list[DocumentText]) -> dict[str, Source]:
    """The stored source of each document that has one, by SHA-256, in one query."""
    digests = {document.sha256 for document in documents}
    if not digests:
        return {}
    return {source.sha256: source for source in session.scalars(select(Source).where(Source.sha256.in_(digests)))}


def mine_uploads(session: Session, files: list[tuple[str, bytes]], actor: User | None = None) -> list[UploadResult]:
    """Mine uploaded ``(filename, bytes)``: one result per file, in the order given."""
    if not files:
        raise ValidationFailed("Choose at least one file to upload (PDF, .docx, .md, .html or .txt).")
    results: list[UploadResult | None] = []
    readable: list[tuple[int, DocumentText]] = []
    for name, data in files:
        documents, refused = read_each([(name, data)])
        if refused:
            results.append(UploadResult(name, False, refused[0]["message"], code=refused[0]["code"]))
            continue
        readable.append((len(results), documents[0]))
        results.append(None)
    documents = [document for _, document in readable]
    known = set(_sources_by_digest(session, documents))
    mine_documents(session, documents, actor=actor)
    stored = _sources_by_digest(session, documents)
    summaries = {summary.source.id: summary for summary in _summaries(session, list(stored.values()))}
    for index, document in readable:
        source = stored.get(document.sha256)
        if source is None:  # mine_documents records a source for every document it is given
            raise RuntimeError(f"{document.name}: mining recorded no source")
        summary = summaries[source.id]
        if document.sha256 in known:
            message = f"{document.name}: already mined; {summary.waiting} of its candidates await review."
        else:
            plural = "" if summary.total == 1 else "s"
            message = (
                f"{document.name} ({describe_read(document.kind, document.pages, len(document.text))}): "
                f"{summary.total} candidate{plural}, {summary.waiting} waiting for review."
            )
        results[index] = UploadResult(document.name, True, message, source.id)
    return [result for result in results if result is not None]
