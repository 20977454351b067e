"""What an import would do: the report a person reads, and the rows it would write.

``Planner`` (in ``import_planner``) decides every concept of a file and fills
an ``ImportPlan``: the outcome of each concept for the report
(``ImportReport``), the concepts, terms, history and evidence to add, and for
each decision which concepts it read, so that ``import_write`` can tell, at
the last moment, which decisions a curator's edit made stale. The plan's
concepts and terms are small slotted objects named like the models' columns,
so the history snapshots and the comparisons are made by the same functions
as for stored concepts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..models.rules import term_group

# The concept's text fields an import fills when empty (their limits: the rulebook's ``FIELD_LIMITS``).
CONCEPT_FIELDS = ("domain", "definition", "note")
OUTCOMES = ("new", "merged", "unchanged", "conflicting", "error")
# Concepts decided between two reports of progress (and looks at whether to stop).
PLAN_BATCH = 2000
# Keys or ids a query: few round trips, yet far below every back end's limit on bound parameters.
LOOKUP_BATCH = 2000


@dataclass(slots=True)
class ImportOutcome:
    """What the import did, or would do, with one concept of the file."""

    line: int | None
    outcome: str
    label: str
    concept_id: int | None = None
    detail: str = ""
    # A dry run's id for a concept the import would create: nothing to link to yet.
    provisional: bool = False

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
        return summarize(self.counts, self.evidence_skipped)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "ok": self.ok, "counts": self.counts,
                "evidence_added": self.evidence_added, "evidence_skipped": self.evidence_skipped,
                "outcomes": [item.as_dict() for item in self.outcomes]}  # fmt: skip


def summarize(counts: dict[str, int], evidence_skipped: int = 0) -> str:
    """ "3 new, 0 merged, …" as the CLI and the pages say it."""
    text = ", ".join(f"{counts.get(name, 0)} {name}" for name in OUTCOMES)
    if evidence_skipped:
        text += f"; {evidence_skipped} evidence sentences left out (no known source document)"
    return text


@dataclass(slots=True)
class PlannedTerm:
    """A term as the plan sees it; named like ``Term``'s columns so ``concept_snapshot`` reads it."""

    lang: str
    text: str
    kind: str
    status: str
    count: int
    key: str
    id: int | None = None  # stored terms only
    stored_count: int = 0
    # A traditional form a curator chose (not the conversion of the text): the file's, or the stored term's.
    zh_hant_curated: str | None = None

    @property
    def group(self) -> str:
        return term_group(self.lang, self.kind)


@dataclass(slots=True)
class PlannedConcept:
    """A stored concept as loaded (and changed by the file so far), or one the file creates."""

    id: int
    domain: str | None
    definition: str | None
    note: str | None
    status: str
    version: int
    terms: list[PlannedTerm]
    stored: bool
    stored_version: int = 0
    # (source key, start, end, term) of its evidence; None until needed (or, for a new one, until it has some).
    evidence: set[tuple[str, int, int, str]] | None = None
    evidence_loaded: bool = False  # a stored concept's own evidence has been read


@dataclass(slots=True)
class Decision:
    """Which concepts one decision read and which one it writes: what makes it stale."""

    touched: tuple[int, ...] = ()
    writes: int | None = None
    keys: frozenset[str] = frozenset()


@dataclass
class ImportPlan:
    """Everything an import would write, in the order it must be written, and why."""

    report: ImportReport
    decisions: list[Decision] = field(default_factory=list)
    created: list[PlannedConcept] = field(default_factory=list)
    loaded: dict[int, PlannedConcept] = field(default_factory=dict)  # stored concepts read, as changed
    terms: list[tuple[int, PlannedTerm]] = field(default_factory=list)  # added, with their concept's id
    revisions: list[tuple[int, str | None, str]] = field(default_factory=list)  # concept id, before, after (JSON)
    evidence: list[tuple[int, str, str, str, int, int]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # key → the file's source
    source_users: dict[str, set[int]] = field(default_factory=dict)  # key → concepts taking evidence from it
    fixed_ids: set[int] = field(default_factory=set)  # new concepts under their ids in the file

    def changed_concepts(self) -> Iterator[PlannedConcept]:
        """Stored concepts whose fields or terms the import changes (their version moved on)."""
        return (concept for concept in self.loaded.values() if concept.version != concept.stored_version)

    def raised_counts(self) -> Iterator[tuple[int, int, int]]:
        """(concept id, term id, new count) of stored terms the file has seen more often."""
        for concept in self.loaded.values():
            for term in concept.terms:
                if term.id is not None and term.count > term.stored_count:
                    yield concept.id, term.id, term.count


class ConceptIds:
    """Ids for the concepts an import creates.

    ``reserve(count, floor)`` hands out ``count`` ids no one else will get (see
    ``import_write.reserve_concept_ids``), a block at a time and only once a
    new concept needs one; without it (a dry run) ids are only predicted,
    counting from ``first``, and marked provisional in the report.
    ``reserved`` is (the counter before, the counter after) the latest run of
    back-to-back reservations, so that what is left unused can be handed back.
    """

    def __init__(
        self, reserve: Callable[[int, int], list[int]] | None = None, first: int = 1, block: int = PLAN_BATCH
    ) -> None:
        self.reserve = reserve
        self.block = max(1, min(block, PLAN_BATCH))
        self.pool: list[int] = []
        self.next = first
        self.reserved: tuple[int, int] | None = None

    @property
    def provisional(self) -> bool:
        return self.reserve is None

    def take(self, taken: Callable[[int], bool]) -> int:
        while True:
            if self.reserve is None:
                candidate, self.next = self.next, self.next + 1
            else:
                if not self.pool:
                    block = self.reserve(self.block, 0)
                    before = block[0] - 1
                    joined = self.reserved is not None and self.reserved[1] == before
                    self.reserved = (self.reserved[0] if joined else before, block[-1])  # type: ignore[index]
                    self.pool = list(reversed(block))
                candidate = self.pool.pop()
            if not taken(candidate):
                return candidate

    def note_fixed(self, concept_id: int) -> None:
        """Like an explicit insert under AUTOINCREMENT: later predicted ids come after it."""
        if self.reserve is None:
            self.next = max(self.next, concept_id + 1)


def group_key(group: str, key: str) -> str:
    """One string for (group, key): a large import indexes hundreds of thousands of them."""
    return f"{group}\x1f{key}"
