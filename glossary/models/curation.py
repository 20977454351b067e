"""The curators' own data: the domains a concept can be filed under, internal notes, related concepts.

``Concept.domain`` keeps the name (exports, the API and search read it as
text); this table is the list curators choose from, which admins add to,
rename and merge (``services/domains.py`` keeps the two in step).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import NEVER_REUSE_IDS, _in, utcnow

# "broader": the concept is broader than the target (the target is narrower); "see_also": related.
RELATION_KINDS = ("see_also", "broader")


class Domain(db.Model):
    """One subject field, such as "microbiology"."""

    __tablename__ = "domain"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InternalNote(db.Model):
    """The curators' working note on a concept: never shown to the public, the API or exports.

    Its own table, not a concept column, so that a concept's public snapshot (history, conflicts,
    exports) cannot carry it by accident.
    """

    __tablename__ = "concept_internal_note"

    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConceptRelation(db.Model):
    """A link between two concepts: "see also", or ``concept`` broader than ``target``.

    Stored once; the other side reads it backwards (``broader`` seen from the target is narrower).
    """

    __tablename__ = "concept_relation"
    __table_args__ = (
        CheckConstraint(_in("kind", RELATION_KINDS), name="kind"),
        CheckConstraint("concept_id <> target_id", name="not_itself"),
        UniqueConstraint("concept_id", "target_id", "kind"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TermNote(db.Model):
    """A public note on one term: its source, or how it is used ("Taiwan usage", "older literature")."""

    __tablename__ = "term_note"

    term_id: Mapped[int] = mapped_column(ForeignKey("term.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
