"""Related concepts: "see also", and broader/narrower, shown on both concepts' pages.

A link is stored once (``broader`` from the wider concept); each side reads it
in its own direction. Adding and removing are recorded in both concepts' history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Concept, ConceptRelation, User
from .concepts import get_concept
from .revisions import record_revision

# What a curator picks on the page, as (stored kind, stored from this concept?).
RELATION_CHOICES = {"see_also": ("see_also", True), "broader": ("broader", False), "narrower": ("broader", True)}
LABELS = {"see_also": "see also", "broader": "broader concept", "narrower": "narrower concept"}


@dataclass(frozen=True)
class Related:
    relation_id: int
    kind: str  # see_also, broader or narrower, as seen from the concept asked about
    concept: Concept


def related_concepts(session: Session, concept_id: int) -> list[Related]:
    """Every concept linked to this one, broader first, then narrower, then see also."""
    rows = session.scalars(
        select(ConceptRelation).where(
            or_(ConceptRelation.concept_id == concept_id, ConceptRelation.target_id == concept_id)
        )
    ).all()
    found = []
    for row in rows:
        outgoing = row.concept_id == concept_id
        other = session.get(Concept, row.target_id if outgoing else row.concept_id)
        if other is None:  # both ends are foreign keys that cascade: a relation's concepts exist
            continue
        if row.kind == "see_also":
            kind = "see_also"
        else:  # stored as "concept_id is broader than target_id"
            kind = "narrower" if outgoing else "broader"
        found.append(Related(row.id, kind, other))
    order = {"broader": 0, "narrower": 1, "see_also": 2}
    return sorted(found, key=lambda r: (order[r.kind], r.concept.id))


def _record(session: Session, row: ConceptRelation, actor: User | None, added: bool) -> None:
    link = {
        "relation": row.kind,
        "broader_id" if row.kind == "broader" else "concept_id": row.concept_id,
        "narrower_id" if row.kind == "broader" else "target_id": row.target_id,
    }
    for concept_id in (row.concept_id, row.target_id):
        record_revision(
            session,
            concept_id=concept_id,
            actor=actor,
            action="relate" if added else "unrelate",
            before=None if added else link,
            after=link if added else None,
        )


def add_relation(session: Session, concept_id: int, kind: str, target_id: int, actor: User | None) -> ConceptRelation:
    """Link ``target_id`` to the concept as its ``see_also``, ``broader`` or ``narrower`` concept."""
    if kind not in RELATION_CHOICES:
        raise ValidationFailed(f"The relation must be one of {', '.join(RELATION_CHOICES)}.", details={"field": "kind"})
    get_concept(session, concept_id)
    get_concept(session, target_id)
    if concept_id == target_id:
        raise ValidationFailed("A concept cannot be related to itself.", details={"field": "target"})
    stored, from_here = RELATION_CHOICES[kind]
    source, target = (concept_id, target_id) if from_here else (target_id, concept_id)
    pair = {(concept_id, target_id), (target_id, concept_id)}
    for existing in related_concepts(session, concept_id):
        if (concept_id, existing.concept.id) in pair and existing.concept.id == target_id:
            raise Conflict(
                f"Concept {target_id} is already linked to this one ({LABELS[existing.kind]}).",
                details={"relation_id": existing.relation_id},
            )
    row = ConceptRelation(concept_id=source, target_id=target, kind=stored)
    session.add(row)
    session.flush()
    _record(session, row, actor, added=True)
    return row


def remove_relation(session: Session, concept_id: int, relation_id: int, actor: User | None) -> None:
    row = session.get(ConceptRelation, relation_id)
    if row is None or concept_id not in (row.concept_id, row.target_id):
        raise NotFound(f"Concept {concept_id} has no link {relation_id}.")
    _record(session, row, actor, added=False)
    session.delete(row)
    session.flush()
