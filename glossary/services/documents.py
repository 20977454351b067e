"""Uploaded documents: mining what curators upload, and the list of sources.

Each upload is read on its own, so an empty, binary or undecodable file is
refused with its reason and stores nothing, while the readable ones in the
same upload are mined together (evidence crosses documents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Candidate, Evidence, Source, User
from .mining import DocumentText, mine_documents, read_documents


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


def _source_of(session: Session, document: DocumentText) -> Source | None:
    return session.scalar(select(Source).where(Source.sha256 == document.sha256))


def mine_uploads(session: Session, files: list[tuple[str, bytes]],
                 actor: User | None = None) -> list[UploadResult]:
    """Mine uploaded ``(filename, bytes)``: one result per file, in the order given."""
    if not files:
        raise ValidationFailed("Choose at least one .txt file to upload.")
    results: list[UploadResult | None] = []
    readable: list[tuple[int, DocumentText]] = []
    for name, data in files:
        try:
            (document,) = read_documents([(name, data)])
        except ValidationFailed as exc:
            results.append(UploadResult(name, False, exc.message))
            continue
        readable.append((len(results), document))
        results.append(None)
    known = {document.sha256 for _, document in readable if _source_of(session, document)}
    mine_documents(session, [document for _, document in readable], actor=actor)
    for index, document in readable:
        source = _source_of(session, document)
        summary = _summaries(session, [source])[0]
        if document.sha256 in known:
            message = f"{document.name}: already mined; {summary.waiting} of its candidates await review."
        else:
            plural = "" if summary.total == 1 else "s"
            message = f"{document.name}: {summary.total} candidate{plural}, {summary.waiting} waiting for review."
        results[index] = UploadResult(document.name, True, message, source.id)
    return [result for result in results if result is not None]
