"""Uploaded documents: checking an upload before it is mined, and the list of sources.

An upload that is empty, binary or not text is refused here with a message
a curator can act on, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Candidate, Evidence, Source

ALLOWED_SUFFIXES = (".txt",)
# A text file has no NUL bytes except in UTF-16/32, which start with a byte-order mark.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


def check_upload(filename: str, data: bytes, limit: int | None = None) -> None:
    """Refuse what cannot be a text article; raises ``ValidationFailed`` with a readable reason."""
    name = filename or "(no name)"
    if not (filename or "").lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationFailed(f"{name}: only plain-text .txt files can be mined.")
    if not data.strip():
        raise ValidationFailed(f"{name}: the file is empty.")
    if limit and len(data) > limit:
        raise ValidationFailed(f"{name}: the file is larger than {limit // (1024 * 1024)} MB.", status=413)
    if b"\x00" in data[:4096] and not data.startswith(_WIDE_BOMS):
        raise ValidationFailed(f"{name}: this looks like a binary file (a PDF or Word file?), not text. "
                               "Save it as plain text first.")


def list_sources(session: Session) -> list[SourceSummary]:
    """Every source, newest first, with its candidate counts by status."""
    sources = session.scalars(select(Source).order_by(Source.imported_at.desc(), Source.id.desc())).all()
    summaries = {s.id: SourceSummary(s) for s in sources}
    rows = session.execute(
        select(Evidence.source_id, Candidate.status, func.count(distinct(Candidate.id)))
        .join(Candidate, Evidence.candidate_id == Candidate.id)
        .group_by(Evidence.source_id, Candidate.status)
    )
    for source_id, status, count in rows:
        if source_id in summaries:
            summaries[source_id].counts[status] = count
    return list(summaries.values())
