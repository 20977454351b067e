"""Export the glossary as plain data, and import plain data into it without duplicates.

The codecs in ``glossary.formats`` turn files into the plain dict and back;
this module is the only one that turns that dict into rows. An import matches
each incoming concept to the stored ones by its terms' keys (the same keys
search uses, so "NF-κB" meets "nf-kb"): a concept that shares terms in two of
the groups zh / en / abbreviation with exactly one stored concept is merged
into it (new terms added, empty fields filled), a concept that shares nothing
is created, and everything else (a different domain or term status, shared
terms with several concepts, or only one shared group) is reported as
conflicting and left alone for a curator. Malformed concepts are errors.

The service adds and flushes only. The caller commits when ``report.ok`` and
it is not a dry run, and rolls back otherwise, so an import is all or nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationFailed
from ..formats import FORMATS, empty_glossary, export_glossary
from ..models import CONCEPT_STATUSES, MAX_DB_INT, Concept, Evidence, Revision, Source, Term, User, utcnow
from .concepts import concept_snapshot, validate_terms
from .revisions import record_revision

FIELD_LIMITS = {"domain": 100, "definition": 20000, "note": 20000}
OUTCOMES = ("new", "merged", "unchanged", "conflicting", "error")


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def _parse_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


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


def export_file(session: Session, fmt: str, direction: str | None = None, status: str | None = None,
                name: str | None = None) -> ExportFile:
    """Export the glossary as ``fmt`` with a download name like ``glossary-csv-approved-2026-11-22.csv``."""
    raw = export_glossary(export_glossary_data(session, status=status), fmt, direction)
    info = FORMATS[fmt]
    parts = ["glossary", name or (fmt if fmt != "tbx" else "tbx-basic"), status or "all",
             datetime.now(UTC).strftime("%Y-%m-%d")]
    return ExportFile(raw, info.media_type, f"{'-'.join(parts)}.{info.extension}")


def _term_data(term: Term) -> dict[str, Any]:
    data = {"lang": term.lang, "text": term.text, "kind": term.kind, "status": term.status, "count": term.count or 0}
    if term.lang == "zh":
        data["zh_hant"] = term.zh_hant
        data["pinyin"] = term.pinyin
    return data


@dataclass
class ImportOutcome:
    """What the import did, or would do, with one concept of the file."""

    line: int | None
    outcome: str
    label: str
    concept_id: int | None = None
    detail: str = ""

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        target = f" → concept {self.concept_id}" if self.concept_id else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}{self.outcome} {self.label}{target}{detail}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "outcome": self.outcome, "label": self.label,
                "concept_id": self.concept_id, "detail": self.detail}  # fmt: skip


@dataclass
class ImportReport:
    """The outcome of every concept of a file, and the evidence sentences taken or left."""

    dry_run: bool
    outcomes: list[ImportOutcome] = field(default_factory=list)
    evidence_added: int = 0
    evidence_skipped: int = 0

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(item.outcome for item in self.outcomes)
        return {name: found.get(name, 0) for name in OUTCOMES}

    @property
    def ok(self) -> bool:
        """False when any concept is malformed: then nothing may be written."""
        return not any(item.outcome == "error" for item in self.outcomes)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        if self.evidence_skipped:
            counts += f"; {self.evidence_skipped} evidence sentences left out (no known source document)"
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "ok": self.ok, "counts": self.counts,
                "evidence_added": self.evidence_added, "evidence_skipped": self.evidence_skipped,
                "outcomes": [item.as_dict() for item in self.outcomes]}  # fmt: skip


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
    """Merge a plain glossary into the database; see the module docstring.

    ``lines`` are the concepts' line numbers in the file, for the report.
    ``keep_ids`` creates new concepts under their ids in the file when those are
    free (a restore from a JSON backup). ``action`` names the change in each
    concept's history ("starter" for the starter glossary). With ``dry_run``
    the work is done the same way, so the report is exact, and the caller must
    roll back.
    """
    concepts = data.get("concepts") or []
    lines = list(lines) if lines is not None else [None] * len(concepts)
    if default_status not in CONCEPT_STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(CONCEPT_STATUSES)}.")
    importer = _Importer(session, data.get("sources") or [], actor, ImportReport(dry_run), default_status, action)
    for line, incoming in zip(lines, concepts, strict=True):
        importer.import_concept(line, incoming, keep_ids)
    if importer.explicit_ids and session.get_bind().dialect.name == "postgresql":
        # Rows inserted with explicit ids leave the sequence behind; move it past them, never back:
        # the sequence may be past MAX(id) already, the ids of deleted concepts, which stay theirs.
        session.execute(text(
            "SELECT setval(pg_get_serial_sequence('concept', 'id'), GREATEST(MAX(id), "
            "COALESCE(pg_sequence_last_value(pg_get_serial_sequence('concept', 'id')::regclass), 1))) FROM concept"))
    return importer.report


def _label(incoming: dict) -> str:
    terms = incoming.get("terms") if isinstance(incoming.get("terms"), list) else []
    texts = [
        next((t.get("text") for t in terms if isinstance(t, dict) and t.get("lang") == lang), None)
        for lang in ("zh", "en")
    ]
    return " / ".join(str(text) for text in texts if text) or "(no term)"


def _group(term: Term) -> str:
    return "abbr" if term.kind == "abbreviation" else term.lang


class _Importer:
    def __init__(
        self,
        session: Session,
        sources: list[dict],
        actor: User | None,
        report: ImportReport,
        default_status: str,
        action: str,
    ) -> None:
        self.session = session
        self.action = action
        self.default_status = default_status
        self.actor = actor
        self.report = report
        self.incoming_sources = {s.get("key"): s for s in sources if isinstance(s, dict) and s.get("key")}
        self.sources: dict[str, Source] = {}
        self.explicit_ids = False

    def import_concept(self, line: int | None, incoming: Any, keep_ids: bool) -> None:
        label = _label(incoming) if isinstance(incoming, dict) else "(not a concept)"
        try:
            if not isinstance(incoming, dict):
                raise ValidationFailed("The concept must be an object.")
            fields = _checked_fields(incoming)
            probes = [Term(**term) for term in validate_terms(incoming.get("terms"))]
        except ValidationFailed as exc:
            self.report.outcomes.append(ImportOutcome(line, "error", label, detail=exc.message))
            return
        for probe in probes:
            probe.fill_keys()
        wanted_id = incoming.get("id") if keep_ids and isinstance(incoming.get("id"), int) else None
        strong, weak = self.matches(probes)
        if wanted_id in strong:
            strong = [wanted_id]
        if len(strong) > 1 or (not strong and weak):
            ids = strong if len(strong) > 1 else weak
            reason = "matches several concepts" if len(strong) > 1 else "shares only some terms with"
            detail = f"{reason} {', '.join(map(str, ids))}; resolve by hand"
            self.report.outcomes.append(ImportOutcome(line, "conflicting", label, detail=detail))
            return
        if not strong:
            concept = self.create(fields, probes, wanted_id)
            self.report.outcomes.append(ImportOutcome(line, "new", label, concept.id))
        else:
            concept = self.session.get(Concept, strong[0])
            differences = _differences(concept, fields, probes)
            if differences:
                detail = "; ".join(differences)
                self.report.outcomes.append(ImportOutcome(line, "conflicting", label, concept.id, detail))
                return
            changes = self.merge(concept, fields, probes)
            outcome = "merged" if changes else "unchanged"
            self.report.outcomes.append(ImportOutcome(line, outcome, label, concept.id, "; ".join(changes)))
        self.add_evidence(concept, incoming.get("evidence"))

    def matches(self, probes: list[Term]) -> tuple[list[int], list[int]]:
        """Stored concepts sharing terms in enough groups (strong) or in fewer (weak)."""
        keys: dict[str, set[str]] = {}
        for probe in probes:
            keys.setdefault(_group(probe), set()).add(probe.key)
        hits: dict[int, set[str]] = {}
        for group, group_keys in keys.items():
            stmt = select(Term.concept_id).where(Term.key.in_(group_keys))
            if group == "abbr":
                stmt = stmt.where(Term.kind == "abbreviation")
            else:
                stmt = stmt.where(Term.lang == group, Term.kind != "abbreviation")
            for concept_id in self.session.scalars(stmt):
                hits.setdefault(concept_id, set()).add(group)
        needed = min(2, len(keys))
        strong = sorted(cid for cid, groups in hits.items() if len(groups) >= needed)
        weak = sorted(cid for cid, groups in hits.items() if len(groups) < needed)
        return strong, weak

    def create(self, fields: dict[str, Any], probes: list[Term], wanted_id: int | None) -> Concept:
        # Not services.concepts.create_concept: a restore must keep the concept's id.
        concept_id = wanted_id if wanted_id and self.id_is_free(wanted_id, probes) else None
        self.explicit_ids |= concept_id is not None
        concept = Concept(id=concept_id, **{**fields, "status": fields["status"] or self.default_status})
        concept.terms = probes
        self.session.add(concept)
        self.session.flush()
        record_revision(self.session, concept_id=concept.id, actor=self.actor, action=self.action,
                        before=None, after=concept_snapshot(concept))  # fmt: skip
        return concept

    def id_is_free(self, concept_id: int, probes: list[Term]) -> bool:
        """Whether the concept may come back under ``concept_id``.

        Only if no live concept has it, and the history either never named it or
        last saw there a concept sharing a (non-abbreviation) term with this one:
        the same concept, back from a backup. Otherwise it gets a new id, so that
        a deleted concept's id, its history and old exports never name another.
        """
        if not 0 < concept_id <= MAX_DB_INT or self.session.get(Concept, concept_id) is not None:
            return False
        last = self.session.scalar(select(Revision).where(Revision.concept_id == concept_id)
                                   .order_by(Revision.id.desc()).limit(1))
        if last is None:
            return True
        snapshot = last.after or last.before or {}
        known = {(t.get("lang"), t.get("text")) for t in snapshot.get("terms") or []
                 if isinstance(t, dict) and t.get("kind") != "abbreviation"}
        return any((probe.lang, probe.text) in known for probe in probes if probe.kind != "abbreviation")

    def merge(self, concept: Concept, fields: dict[str, Any], probes: list[Term]) -> list[str]:
        before = concept_snapshot(concept)
        changes = []
        for name in FIELD_LIMITS:
            if fields[name] and not getattr(concept, name):
                setattr(concept, name, fields[name])
                changes.append(f"{name} added")
        by_text = {(term.lang, term.text): term for term in concept.terms}
        keys = {(term.lang, term.key) for term in concept.terms}
        for probe in probes:
            existing = by_text.get((probe.lang, probe.text))
            if existing is None and (probe.lang, probe.key) not in keys:
                concept.terms.append(probe)
                keys.add((probe.lang, probe.key))
                changes.append(f"term {probe.text!r} added")
            elif existing is not None and (probe.count or 0) > (existing.count or 0):
                existing.count = probe.count
        if changes:
            concept.updated_at = utcnow()
            self.session.flush()
            record_revision(self.session, concept_id=concept.id, actor=self.actor, action=self.action,
                            before=before, after=concept_snapshot(concept))  # fmt: skip
        return changes

    def add_evidence(self, concept: Concept, evidence: Any) -> None:
        """Add evidence sentences whose source document is known, once each."""
        if not isinstance(evidence, list):
            return
        seen = {(e.source_id, e.start, e.end, e.term) for e in concept.evidence}
        for item in evidence:
            source = self.source(item.get("source")) if isinstance(item, dict) else None
            if source is None or not isinstance(item.get("start"), int) or not isinstance(item.get("end"), int):
                self.report.evidence_skipped += 1
                continue
            identity = (source.id, item["start"], item["end"], item.get("term") or "")
            if identity in seen or not isinstance(item.get("sentence"), str):
                continue
            seen.add(identity)
            self.session.add(Evidence(source_id=source.id, concept_id=concept.id, term=identity[3],
                                      sentence=item["sentence"], start=item["start"], end=item["end"]))  # fmt: skip
            self.report.evidence_added += 1
        self.session.flush()

    def source(self, key: Any) -> Source | None:
        """The stored source with this key, created from the file's source list if needed."""
        if not isinstance(key, str) or key not in self.incoming_sources:
            return None
        if key not in self.sources:
            source = self.session.scalar(select(Source).where(Source.sha256 == key))
            if source is None:
                raw = self.incoming_sources[key]
                source = Source(sha256=key, filename=str(raw.get("filename") or key)[:255], title=raw.get("title"),
                                imported_at=_parse_iso(raw.get("imported_at")) or utcnow())  # fmt: skip
                self.session.add(source)
                self.session.flush()
            self.sources[key] = source
        return self.sources[key]


def _checked_fields(incoming: dict) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, limit in FIELD_LIMITS.items():
        value = incoming.get(name)
        if value is not None and not isinstance(value, str):
            raise ValidationFailed(f"{name} must be text.")
        value = (value or "").strip() or None
        if value and len(value) > limit:
            raise ValidationFailed(f"{name} is longer than {limit} characters.")
        fields[name] = value
    # None when the file does not say (TBX, OmegaT): no disagreement, and the default on creation.
    status = incoming.get("status")
    if status is not None and status not in CONCEPT_STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(CONCEPT_STATUSES)}.")
    fields["status"] = status
    return fields


def _differences(concept: Concept, fields: dict[str, Any], probes: list[Term]) -> list[str]:
    """Where the file and the stored concept disagree (a blank on either side is no disagreement)."""
    found = []
    for name in ("domain", "definition", "note", "status"):
        mine, theirs = getattr(concept, name), fields[name]
        if mine and theirs and mine != theirs:
            found.append(f"{name} is {mine!r} here, {theirs!r} in the file")
    # Same text, different kind or status; a spelling that only shares the key ("5HT" beside "5-HT") may differ.
    by_text = {(term.lang, term.text): term for term in concept.terms}
    for probe in probes:
        existing = by_text.get((probe.lang, probe.text))
        if existing is not None and (existing.kind, existing.status) != (probe.kind, probe.status):
            found.append(
                f"{probe.text!r} is {existing.status} {existing.kind} here, {probe.status} {probe.kind} in the file"
            )
    return found
