"""Export the glossary as plain data, and import plain data into it without duplicates.

The codecs in ``glossary.formats`` turn files into the plain dict and back;
this module and the import services it calls are the only ones that turn
that dict into rows. How an import matches, merges and reports is told in
``import_plan``; how it writes, in ``import_write``; how a large one runs as
a job that never blocks the service, in ``import_jobs``.

``import_glossary`` is the direct form, for small imports such as the
starter glossary: it adds and flushes only, and the caller commits when
``report.ok`` and it is not a dry run, and rolls back otherwise, so an import
is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationFailed
from ..formats import FORMATS, empty_glossary, export_glossary
from ..models import CONCEPT_STATUSES, Concept, Evidence, Source, Term, User, utcnow
from .import_plan import ConceptIds, ImportOutcome, ImportReport
from .import_planner import Planner
from .import_write import next_concept_id, release_concept_ids, reserve_concept_ids, write_plan

__all__ = ["ExportFile", "ImportOutcome", "ImportReport", "export_file", "export_glossary_data", "import_glossary"]


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def export_glossary_data(session: Session, status: str | None = None, *, exported_at: str | None = None) -> dict:
    """The whole glossary (or the concepts with one ``status``) as the plain interchange dict."""
    if status is not None and status not in CONCEPT_STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(CONCEPT_STATUSES)}.", details={"field": "status"})
    stmt = (
        select(Concept)
        .order_by(Concept.id)
        .options(selectinload(Concept.terms), selectinload(Concept.evidence).selectinload(Evidence.source))
    )
    if status is not None:
        stmt = stmt.where(Concept.status == status)
    data = empty_glossary(exported_at or _iso(utcnow()))
    sources: dict[int, Source] = {}
    for concept in session.scalars(stmt):
        for item in concept.evidence:
            sources.setdefault(item.source_id, item.source)
        data["concepts"].append(
            {
                "id": concept.id,
                "domain": concept.domain,
                "definition": concept.definition,
                "note": concept.note,
                "status": concept.status,
                "terms": [_term_data(term) for term in concept.terms],
                "evidence": [
                    {"source": e.source.sha256, "term": e.term, "sentence": e.sentence, "start": e.start, "end": e.end}
                    for e in concept.evidence
                ],
            }
        )
    data["sources"] = [
        {"key": s.sha256, "filename": s.filename, "title": s.title, "imported_at": _iso(s.imported_at)}
        for _, s in sorted(sources.items())
    ]
    return data


@dataclass(frozen=True)
class ExportFile:
    """A glossary export ready to download."""

    data: bytes
    media_type: str
    filename: str
    concepts: int = 0  # how many concepts it holds


def export_file(
    session: Session,
    fmt: str,
    direction: str | None = None,
    status: str | None = None,
    *,
    zh_tags: str = "script",
    doctype: bool = False,
) -> ExportFile:
    """Export the glossary as ``fmt`` with a download name like ``glossary-csv-approved-2026-11-22.csv``.

    The name tells apart every file the options make: the OmegaT direction
    (``glossary-tsv-en-zh-…``), region tags (``…-zh-CN-…``) and a DOCTYPE.
    """
    if fmt == "tsv":
        direction = direction or "zh-en"
    data = export_glossary_data(session, status=status)
    raw = export_glossary(data, fmt, direction, zh_tags=zh_tags, doctype=doctype)
    info = FORMATS[fmt]
    parts = ["glossary", fmt if fmt != "tbx" else "tbx-basic"]
    if fmt == "tsv" and direction is not None:  # set to its default above
        parts.append(direction)
    if fmt in ("tbx", "tbx3") and zh_tags == "region":
        parts.append("zh-CN")
    if fmt == "tbx" and doctype:
        parts.append("doctype")
    parts += [status or "all", datetime.now(UTC).strftime("%Y-%m-%d")]
    return ExportFile(raw, info.media_type, f"{'-'.join(parts)}.{info.extension}", len(data["concepts"]))


def _term_data(term: Term) -> dict[str, Any]:
    data = {"lang": term.lang, "text": term.text, "kind": term.kind, "status": term.status, "count": term.count or 0}
    if term.lang == "zh":
        data["zh_hant"] = term.zh_hant
        data["pinyin"] = term.pinyin
    return data


def import_glossary(
    session: Session,
    data: dict,
    dry_run: bool = False,
    *,
    lines: list[int | None] | None = None,
    actor: User | None = None,
    keep_ids: bool = False,
    default_status: str = "approved",
    action: str = "import",
) -> ImportReport:
    """Merge a plain glossary into the database in the caller's transaction; see the module docstring.

    ``lines`` are the concepts' line numbers in the file, for the report.
    ``keep_ids`` creates new concepts under their ids in the file when those are
    free (a restore from a JSON backup). ``action`` names the change in each
    concept's history ("starter" for the starter glossary). A dry run decides
    everything the same way, so the report is exact, and writes nothing; nor
    does a file with a malformed concept.
    """
    concepts = data.get("concepts") or []
    lines = list(lines) if lines is not None else [None] * len(concepts)
    if dry_run:
        ids = ConceptIds(first=next_concept_id(session))
    else:
        ids = ConceptIds(lambda count, floor: reserve_concept_ids(session, count, floor), block=len(concepts))
    planner = Planner(
        session, data, ids=ids, keep_ids=keep_ids, default_status=default_status, action=action, dry_run=dry_run
    )
    plan = planner.plan(zip(lines, concepts, strict=True))
    if plan.report.ok and not dry_run:
        write_plan(session, plan, actor, action)
        release_concept_ids(session, ids.reserved)
    return plan.report
