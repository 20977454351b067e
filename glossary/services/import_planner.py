"""Planning an import: what each concept of a file becomes, decided in batches against the glossary.

An import matches each incoming concept to the stored ones by its terms' keys
(the same keys search uses, so "NF-κB" meets "nf-kb"): a concept that shares
terms in two of the groups zh / en / abbreviation with exactly one stored
concept is merged into it (new terms added, empty fields filled), a concept
that shares nothing is created, and everything else (a different domain or
term status, shared terms with several concepts, or only one shared group) is
reported as conflicting and left alone for a curator. Malformed concepts are
errors. Concepts are decided in file order, so a later line can merge into a
concept an earlier line creates.

Planning only reads. It used to cost two queries and a flush per concept (a
30,000-row file took minutes, holding the write lock); now the concepts of a
batch are checked and keyed first, their keys are looked up a few thousand a
query, the concepts they hit are loaded in bulk, and the decisions are made
in memory against that picture plus what the file itself has done so far.
What to write comes out as an ``ImportPlan`` that ``import_write`` writes,
directly or through the staging tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import CONCEPT_STATUSES, MAX_DB_INT, Concept, Evidence, Revision, Source, Term, curated_hant
from ..models.rules import ADD_MISSING, FIELD_LIMITS, TermKey, concepts_sharing, merge_terms, term_key
from .concepts import concept_snapshot, validate_terms
from .import_plan import (
    CONCEPT_FIELDS,
    LOOKUP_BATCH,
    PLAN_BATCH,
    ConceptIds,
    Decision,
    ImportOutcome,
    ImportPlan,
    ImportReport,
    PlannedConcept,
    PlannedTerm,
    group_key,
)

# What the plan reads of a stored term: what it compares and counts, and its curated traditional form.
_STORED_TERM = [Term.__table__.c[name] for name in "id concept_id lang text kind status count key zh_hant".split()]
_STORED_TERM += (Term.zh_hant,)


def _label(incoming: dict) -> str:
    terms = listed if isinstance(listed := incoming.get("terms"), list) else []
    texts = [
        next((t.get("text") for t in terms if isinstance(t, dict) and t.get("lang") == lang), None)
        for lang in ("zh", "en")
    ]
    return " / ".join(str(text) for text in texts if text) or "(no term)"


def _snapshot_json(concept: PlannedConcept) -> str:
    return json.dumps(concept_snapshot(concept), ensure_ascii=False, separators=(",", ":"))  # type: ignore[arg-type]


def _batches(items: list, size: int = LOOKUP_BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class _Incoming:
    position: int
    line: int | None
    label: str
    raw: Any
    fields: dict[str, Any] = field(default_factory=dict)
    probes: list[PlannedTerm] = field(default_factory=list)
    wanted_id: int | None = None
    error: str | None = None


class Planner:
    """Decides a file's concepts batch by batch; ``plan`` returns the ``ImportPlan``.

    ``after_batch(done)`` runs after each batch (a job ends its read transaction
    there, reports progress and stops if asked to by raising).
    """

    def __init__(
        self,
        session: Session,
        data: dict,
        *,
        ids: ConceptIds,
        keep_ids: bool = False,
        default_status: str = "approved",
        action: str = "import",
        dry_run: bool = False,
    ) -> None:
        if default_status not in CONCEPT_STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(CONCEPT_STATUSES)}.")
        self.session = session
        self.ids = ids
        self.keep_ids = keep_ids
        self.default_status = default_status
        self.action = action
        self.plan_ = ImportPlan(ImportReport(dry_run))
        # A dry run writes nothing, so it needs neither history snapshots nor what each decision read.
        self.writing = not dry_run
        sources = data.get("sources") or []
        self.incoming_sources = {s.get("key"): s for s in sources if isinstance(s, dict) and s.get("key")}
        self.concepts: dict[int, PlannedConcept] = {}  # every concept seen: loaded or created
        self.index: dict[str, int | set[int]] = {}  # group + key → concept ids holding such a term
        self.looked_up: set[TermKey] = set()
        self.live_ids: set[int] = set()  # stored ids asked for by the file that exist
        self.last_snapshots: dict[int, dict] = {}  # the newest history entry of a free id the file asks for

    def plan(
        self, located: Iterable[tuple[int | None, Any]], after_batch: Callable[[int], None] | None = None
    ) -> ImportPlan:
        done = 0
        batch: list[_Incoming] = []
        for line, incoming in located:
            batch.append(_Incoming(done + len(batch), line, "", incoming))
            if len(batch) == PLAN_BATCH:
                done = self._decide_batch(batch, after_batch)
                batch = []
        if batch:
            self._decide_batch(batch, after_batch)
        return self.plan_

    def _decide_batch(self, batch: list[_Incoming], after_batch: Callable[[int], None] | None) -> int:
        for incoming in batch:
            self._check(incoming)
        self._look_up({(probe.group, probe.key) for incoming in batch for probe in incoming.probes} - self.looked_up)
        self._look_up_ids({incoming.wanted_id for incoming in batch if incoming.wanted_id is not None})
        deferred = [self._decide(incoming) for incoming in batch]
        self._add_evidence([item for item in deferred if item is not None])
        done = batch[-1].position + 1
        if after_batch is not None:
            after_batch(done)
        return done

    def _check(self, incoming: _Incoming) -> None:
        """Validate and key the concept; a malformed one becomes an error outcome."""
        raw = incoming.raw
        incoming.label = _label(raw) if isinstance(raw, dict) else "(not a concept)"
        try:
            if not isinstance(raw, dict):
                raise ValidationFailed("The concept must be an object.")
            incoming.fields = _checked_fields(raw)
            incoming.probes = [
                PlannedTerm(
                    t["lang"],
                    t["text"],
                    t["kind"],
                    t["status"],
                    t["count"],
                    term_key(t["lang"], t["text"], t["kind"]),
                    zh_hant_curated=t.get("zh_hant"),  # validate_terms keeps only a curated one
                )
                for t in validate_terms(raw.get("terms"))
            ]
        except ValidationFailed as exc:
            incoming.error = exc.message
            return
        if self.keep_ids and isinstance(raw.get("id"), int):
            incoming.wanted_id = raw["id"]

    def _look_up(self, keys: set[TermKey]) -> None:
        """Index every stored term with one of these (group, key) pairs, and load the concepts they belong to."""
        if not keys:
            return
        hit: set[int] = set()
        for concept_id, shared in concepts_sharing(self.session, keys).items():
            for term in shared:
                self._index_add(group_key(*term.group_key), concept_id)
            hit.add(concept_id)
        self.looked_up |= keys
        self._load(hit - self.concepts.keys())  # the found terms are garbage by now: less for the collector

    def _load(self, ids: set[int]) -> None:
        for chunk in _batches(sorted(ids)):
            for row in self.session.execute(
                select(
                    Concept.id, Concept.domain, Concept.definition, Concept.note, Concept.status, Concept.version
                ).where(Concept.id.in_(chunk))
            ):
                concept = PlannedConcept(
                    row.id,
                    row.domain,
                    row.definition,
                    row.note,
                    row.status,
                    row.version,
                    [],
                    stored=True,
                    stored_version=row.version,
                )
                self.concepts[row.id] = self.plan_.loaded[row.id] = concept
            terms = self.session.execute(select(*_STORED_TERM).where(Term.concept_id.in_(chunk)).order_by(Term.id))
            for stored_term in terms:
                owner = self.concepts.get(stored_term.concept_id)
                if owner is not None:
                    owner.terms.append(
                        PlannedTerm(
                            stored_term.lang,
                            stored_term.text,
                            stored_term.kind,
                            stored_term.status,
                            stored_term._mapping["count"] or 0,  # not Row.count: the stubs see the tuple method there
                            stored_term.key,
                            id=stored_term.id,
                            stored_count=stored_term._mapping["count"] or 0,
                            zh_hant_curated=curated_hant(stored_term.lang, stored_term.text, stored_term.zh_hant),
                        )
                    )

    def _look_up_ids(self, wanted: set[int]) -> None:
        """For ids the file asks to keep: which are taken, and what the history last saw under the others."""
        wanted = {i for i in wanted if 0 < i <= MAX_DB_INT and i not in self.concepts}
        for chunk in _batches(sorted(wanted)):
            self.live_ids.update(self.session.scalars(select(Concept.id).where(Concept.id.in_(chunk))))
            newest = select(func.max(Revision.id)).where(Revision.concept_id.in_(chunk)).group_by(Revision.concept_id)
            for concept_id, before, after in self.session.execute(
                select(Revision.concept_id, Revision.before, Revision.after).where(Revision.id.in_(newest))
            ):
                self.last_snapshots[concept_id] = after or before or {}

    def _index_add(self, indexed: str, concept_id: int) -> None:
        found = self.index.get(indexed)
        if found is None:
            self.index[indexed] = concept_id
        elif isinstance(found, set):
            found.add(concept_id)
        elif found != concept_id:
            self.index[indexed] = {found, concept_id}

    def _holders(self, indexed: str) -> Iterable[int]:
        found = self.index.get(indexed)
        if found is None:
            return ()
        return found if isinstance(found, set) else (found,)

    def _decide(self, incoming: _Incoming) -> tuple[PlannedConcept, Any] | None:
        report = self.plan_.report
        if incoming.error is not None:
            report.outcomes.append(ImportOutcome(incoming.line, "error", incoming.label, detail=incoming.error))
            self._decided(Decision())
            return None
        probes, fields, line, label = incoming.probes, incoming.fields, incoming.line, incoming.label
        keys = frozenset(group_key(probe.group, probe.key) for probe in probes) if self.writing else frozenset()
        strong, weak = self._matches(probes)
        wanted = incoming.wanted_id
        if wanted in strong:
            strong = [wanted]
        read = (*strong, *weak, *((wanted,) if wanted is not None else ()))
        if len(strong) > 1 or (not strong and weak):
            ids = strong if len(strong) > 1 else weak
            reason = "matches several concepts" if len(strong) > 1 else "shares only some terms with"
            detail = f"{reason} {', '.join(map(str, ids))}; resolve by hand"
            report.outcomes.append(ImportOutcome(line, "conflicting", label, detail=detail))
            self._decided(Decision(read, None, keys))
            return None
        if not strong:
            concept = self._create(fields, probes, wanted)
            report.outcomes.append(ImportOutcome(line, "new", label, concept.id, provisional=self.ids.provisional))
        else:
            concept = self.concepts[strong[0]]
            differences = _differences(concept, fields, probes)
            if differences:
                report.outcomes.append(
                    ImportOutcome(
                        line,
                        "conflicting",
                        label,
                        concept.id,
                        "; ".join(differences),
                        provisional=self.ids.provisional and not concept.stored,
                    )
                )
                self._decided(Decision(read, None, keys))
                return None
            changes = self._merge(concept, fields, probes)
            report.outcomes.append(
                ImportOutcome(
                    line,
                    "merged" if changes else "unchanged",
                    label,
                    concept.id,
                    "; ".join(changes),
                    provisional=self.ids.provisional and not concept.stored,
                )
            )
        self._decided(Decision((*read, concept.id), concept.id, keys))
        return concept, incoming.raw.get("evidence")

    def _decided(self, decision: Decision) -> None:
        if self.writing:
            self.plan_.decisions.append(decision)

    def _matches(self, probes: list[PlannedTerm]) -> tuple[list[int], list[int]]:
        """Concepts sharing terms in enough groups (strong) or in fewer (weak)."""
        groups: dict[str, set[str]] = {}
        for probe in probes:
            groups.setdefault(probe.group, set()).add(probe.key)
        hits: dict[int, set[str]] = {}
        for group, keys in groups.items():
            for key in keys:
                for concept_id in self._holders(group_key(group, key)):
                    if concept_id in self.concepts:  # not deleted between the look-up and the load
                        hits.setdefault(concept_id, set()).add(group)
        needed = min(2, len(groups))
        strong = sorted(cid for cid, found in hits.items() if len(found) >= needed)
        weak = sorted(cid for cid, found in hits.items() if len(found) < needed)
        return strong, weak

    def _create(self, fields: dict[str, Any], probes: list[PlannedTerm], wanted: int | None) -> PlannedConcept:
        if wanted is not None and self._id_is_free(wanted, probes):
            concept_id = wanted
            self.plan_.fixed_ids.add(wanted)
            self.ids.note_fixed(wanted)
        else:
            concept_id = self.ids.take(lambda candidate: candidate in self.concepts or candidate in self.live_ids)
        concept = PlannedConcept(
            concept_id,
            fields["domain"],
            fields["definition"],
            fields["note"],
            fields["status"] or self.default_status,
            1,
            list(probes),
            stored=False,
        )
        self.concepts[concept_id] = concept
        self.plan_.created.append(concept)
        for probe in probes:
            self._index_add(group_key(probe.group, probe.key), concept_id)
            self.plan_.terms.append((concept_id, probe))
        if self.writing:
            self.plan_.revisions.append((concept_id, None, _snapshot_json(concept)))
        return concept

    def _id_is_free(self, concept_id: int, probes: list[PlannedTerm]) -> bool:
        """Whether the concept may come back under ``concept_id``.

        Only if no live concept has it, and the history either never named it or
        last saw there a concept sharing a (non-abbreviation) term with this one:
        the same concept, back from a backup. Otherwise it gets a new id, so that
        a deleted concept's id, its history and old exports never name another.
        """
        if not 0 < concept_id <= MAX_DB_INT or concept_id in self.concepts or concept_id in self.live_ids:
            return False
        snapshot = self.last_snapshots.get(concept_id)
        if snapshot is None:
            return True
        known = {
            (t.get("lang"), t.get("text"))
            for t in snapshot.get("terms") or []
            if isinstance(t, dict) and t.get("kind") != "abbreviation"
        }
        return any((probe.lang, probe.text) in known for probe in probes if probe.kind != "abbreviation")

    def _merge(self, concept: PlannedConcept, fields: dict[str, Any], probes: list[PlannedTerm]) -> list[str]:
        before = _snapshot_json(concept) if self.writing else None
        changes = []
        for name in CONCEPT_FIELDS:
            if fields[name] and not getattr(concept, name):
                setattr(concept, name, fields[name])
                changes.append(f"{name} added")
        # The rulebook's import policy: a term is new unless the concept has one of its group and key
        # (an abbreviation never stands in for a name); a term seen again keeps the larger count.
        for probe in merge_terms(concept, probes, ADD_MISSING).added:
            self._index_add(group_key(probe.group, probe.key), concept.id)
            self.plan_.terms.append((concept.id, probe))
            changes.append(f"term {probe.text!r} added")
        if changes:
            concept.version += 1  # as the ORM's version counter would on the update
            if self.writing:
                self.plan_.revisions.append((concept.id, before, _snapshot_json(concept)))
        return changes

    def _add_evidence(self, deferred: list[tuple[PlannedConcept, Any]]) -> None:
        """Evidence sentences whose source document is known, once each (decided after the batch's concepts)."""
        for concept, evidence in deferred:
            if concept.evidence is None and evidence:
                concept.evidence = set()
        unloaded = {
            concept.id for concept, evidence in deferred if concept.stored and evidence and not concept.evidence_loaded
        }
        for chunk in _batches(sorted(unloaded)):
            rows = self.session.execute(
                select(Evidence.concept_id, Source.sha256, Evidence.start, Evidence.end, Evidence.term)
                .join(Source, Source.id == Evidence.source_id)
                .where(Evidence.concept_id.in_(chunk))
            )
            for concept_id, key, start, end, term in rows:
                # The rows are of these concepts (not None), each given an evidence set above.
                found = self.concepts[concept_id].evidence if concept_id is not None else None
                if found is not None:
                    found.add((key, start, end, term or ""))
        for concept_id in unloaded:
            self.concepts[concept_id].evidence_loaded = True
        report, plan = self.plan_.report, self.plan_
        for concept, evidence in deferred:
            if not isinstance(evidence, list):
                continue
            seen = concept.evidence if concept.evidence is not None else set()
            for item in evidence:
                named = item.get("source") if isinstance(item, dict) else None
                source = named if isinstance(named, str) and named in self.incoming_sources else None
                if source is not None:  # the source is recorded even when none of its sentences is new
                    plan.sources[source] = self.incoming_sources[source]
                    plan.source_users.setdefault(source, set()).add(concept.id)
                if source is None or not isinstance(item.get("start"), int) or not isinstance(item.get("end"), int):
                    report.evidence_skipped += 1
                    continue
                start, end, term = item["start"], item["end"], item.get("term") or ""
                if (source, start, end, term) in seen or not isinstance(item.get("sentence"), str):
                    continue
                seen.add((source, start, end, term))
                plan.evidence.append((concept.id, source, term, item["sentence"], start, end))
                report.evidence_added += 1


def _checked_fields(incoming: dict) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in CONCEPT_FIELDS:
        limit = FIELD_LIMITS[name]
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


def _differences(concept: PlannedConcept, fields: dict[str, Any], probes: list[PlannedTerm]) -> list[str]:
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
