"""The glossary's data model, concept-oriented like ISO 30042 (TBX).

A concept holds every term that names it, in every language; a term stores
its search keys (simplified key, traditional form, pinyin) computed once on
write so that search never computes them per row. The bookkeeping of large
imports (jobs, their reports and staging tables) lives in ``models.imports``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import pinyin_forms, to_simplified, to_traditional

LANGS = ("zh", "en")
TERM_KINDS = ("full", "abbreviation", "variant")
TERM_STATUSES = ("preferred", "admitted", "deprecated")
CONCEPT_STATUSES = ("draft", "approved")
CANDIDATE_STATUSES = ("new", "approved", "rejected", "merged")
ROLES = ("viewer", "curator", "admin")
# The largest value an INTEGER column holds on every back end (PostgreSQL's is 32-bit).
MAX_DB_INT = 2**31 - 1
# Ids are shown, bookmarked, exported (TBX entry "c75") and kept in the history, so a
# deleted row's id must never name another row. PostgreSQL's sequences never go back;
# SQLite hands the highest deleted rowid out again unless the table is AUTOINCREMENT.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_generation() -> str:
    """Random, not a counter, so a restored backup cannot bring an old generation back."""
    return secrets.token_hex(16)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Concept(db.Model):
    __tablename__ = "concept"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str | None] = mapped_column(String(100), index=True)
    definition: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="approved")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: every UPDATE checks and bumps it (StaleDataError on a race).
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    terms: Mapped[list[Term]] = relationship(
        back_populates="concept",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Term.id",
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="concept",
        passive_deletes=True,
        order_by="Evidence.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it at class creation
    __table_args__ = (CheckConstraint(_in("status", CONCEPT_STATUSES), name="status"), NEVER_REUSE_IDS)

    def terms_of(self, lang: str, kind: str | None = None) -> list[Term]:
        """This concept's terms in one language, preferred first (the rulebook's ``ordered_terms``)."""
        return ordered_terms(self.terms, lang, kind)

    def __repr__(self) -> str:
        return f"<Concept {self.id}>"


class Term(db.Model):
    __tablename__ = "term"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(500))
    # Normalised matching key: simplified Chinese, folded English, or folded abbreviation.
    key: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="full")
    status: Mapped[str] = mapped_column(String(20), default="preferred")
    # Chinese only: filled from the text on insert and update.
    zh_hans: Mapped[str | None] = mapped_column(String(500))
    # The traditional form: the conversion of the text, or one a curator set (Taiwan usage such as
    # 血清素, or a term mined in traditional script, kept as written). See ``zh_hant_curated``.
    zh_hant: Mapped[str | None] = mapped_column(String(500))
    pinyin: Mapped[str | None] = mapped_column(String(1000))
    pinyin_key: Mapped[str | None] = mapped_column(String(1000))
    pinyin_numbered: Mapped[str | None] = mapped_column(String(1000))
    pinyin_initials: Mapped[str | None] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    concept: Mapped[Concept] = relationship(back_populates="terms")

    __table_args__ = (
        CheckConstraint(_in("lang", LANGS), name="lang"),
        CheckConstraint(_in("kind", TERM_KINDS), name="kind"),
        CheckConstraint(_in("status", TERM_STATUSES), name="status"),
        Index("ix_term_lang_key", "lang", "key"),
        Index("ix_term_kind_text", "kind", "text"),
        Index("ix_term_pinyin_key", "pinyin_key"),
        Index("ix_term_pinyin_initials", "pinyin_initials"),
        Index("ix_term_zh_hant", "zh_hant"),
        NEVER_REUSE_IDS,
    )

    def fill_keys(self) -> None:
        """Compute the stored search keys from ``lang``, ``kind`` and ``text``."""
        self.text = (self.text or "").strip()
        curated = self.zh_hant_curated
        for name, value in term_search_keys(self.lang, self.kind, self.text, curated).items():
            setattr(self, name, value)

    @property
    def zh_hant_curated(self) -> str | None:
        """The traditional form when a curator chose it: one that differs from the conversion of the text.

        A stored form that is not the conversion of the text it was stored with was set on purpose
        and is kept; one that is follows the text when the text changes. Setting ``zh_hant`` to
        None converts again.
        """
        if self.lang != "zh" or not self.zh_hant:
            return None
        changed = sa_inspect(self).attrs.text.history.deleted  # the text before an unflushed change
        return curated_hant(self.lang, changed[0] if changed else self.text, self.zh_hant)

    def __repr__(self) -> str:
        return f"<Term {self.lang}:{self.text!r}>"


def curated_hant(lang: str, text: str | None, zh_hant: str | None) -> str | None:
    """``zh_hant`` when a curator chose it for ``text``: a stored form other than the text's conversion."""
    if lang != "zh" or not zh_hant:
        return None
    return zh_hant if zh_hant != to_traditional(to_simplified(text or "")) else None


def term_match_key(lang: str, kind: str, text: str) -> str:
    """The key that import, duplicate checks and search match a term by (the rulebook's ``term_key``)."""
    return term_key(lang, text, kind)


def term_search_keys(lang: str, kind: str, text: str, curated_hant: str | None = None) -> dict[str, str | None]:
    """Every stored key column of a term: what the ORM fills on insert and bulk imports write directly.

    ``curated_hant`` is a traditional form a curator chose; without it the conversion stands.
    """
    keys: dict[str, str | None] = {"key": term_match_key(lang, kind, text)}
    if lang == "zh":
        keys["zh_hans"] = to_simplified(text)
        keys["zh_hant"] = curated_hant or to_traditional(keys["zh_hans"])
        keys["pinyin"], keys["pinyin_key"], keys["pinyin_numbered"], keys["pinyin_initials"] = pinyin_forms(text)
    else:
        keys.update(dict.fromkeys(("zh_hans", "zh_hant", "pinyin", "pinyin_key", "pinyin_numbered", "pinyin_initials")))
    return keys


@event.listens_for(Term, "before_insert")
@event.listens_for(Term, "before_update")
def _fill_term_keys(_mapper: Any, _connection: Any, term: Term) -> None:
    term.fill_keys()


class Source(db.Model):
    """A mined document."""

    __tablename__ = "source"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    encoding: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer, default=0)
    # What the reader took it for (pdf, docx, markdown, html, text), its pages (PDF only) and
    # the characters of text mined from it; unknown (NULL) for sources mined before these were kept.
    kind: Mapped[str] = mapped_column(String(16), default="text", server_default="text")
    pages: Mapped[int | None] = mapped_column(Integer)
    characters: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="source",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Evidence(db.Model):
    """A term or pair seen in a source: the sentence and character offsets."""

    __tablename__ = "evidence"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concept.id", ondelete="SET NULL"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(1000), default="")
    sentence: Mapped[str] = mapped_column(Text)
    # Offsets of the match in the source's original text (as decoded; for a PDF or Word file, as
    # extracted), in code points, and the page a PDF printed it on (NULL without pages).
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)

    source: Mapped[Source] = relationship(back_populates="evidence")
    concept: Mapped[Concept | None] = relationship(back_populates="evidence")
    candidate: Mapped[Candidate | None] = relationship(back_populates="evidence")


class Candidate(db.Model):
    """A mined pair awaiting review."""

    __tablename__ = "candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    zh: Mapped[str] = mapped_column(String(500), default="")
    en: Mapped[str] = mapped_column(String(500), default="")
    abbr: Mapped[str] = mapped_column(String(100), default="")
    # zh key | en key | abbr as written: one candidate per distinct proposal, forever,
    # so that a rejected one is never proposed again.
    dedupe_key: Mapped[str] = mapped_column(String(1200), unique=True)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="new")
    alternatives: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Why the miner chose this reading ({"reasons", "lexicon", "recurrence"}; shape in
    # services/rationale.py). Not "evidence": that name is the sentences, below.
    # The server default fills rows mined before it was recorded.
    rationale: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=sql_text("'{}'"))
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concept.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="candidate",
        passive_deletes=True,
        order_by="Evidence.id",
    )
    concept: Mapped[Concept | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("status", CANDIDATE_STATUSES), name="status"),
        Index("ix_candidate_status_rank", "status", "confidence", "count"),
        NEVER_REUSE_IDS,
    )


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session and remember-me cookie (see get_id): a new value ends them all.
    session_generation: Mapped[str] = mapped_column(String(32), default=new_session_generation, server_default="0")

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"), NEVER_REUSE_IDS)

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Flask-Login's alternative id: a cookie names the generation it was issued in."""
        return f"{self.id}:{self.session_generation}"

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above."""
        return ROLES.index(self.role) >= ROLES.index(role)


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    expires_at: Mapped[datetime | None] = mapped_column()  # UTC; None: until revoked

    user: Mapped[User] = relationship(back_populates="tokens")


class Revision(db.Model):
    """Audit trail: who changed what, when, with the state before and after."""

    __tablename__ = "revision"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign keys: the history of a deleted concept or user must survive it.
    concept_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# The import tables share the metadata; imported last because they build on the names above.
from .check import WellKnownAbbreviation  # noqa: E402  (the writer's check)
from .curation import RELATION_KINDS, ConceptRelation, Domain, InternalNote, TermNote  # noqa: E402  (curators')
from .imports import ImportJob, ImportJobOutcome, StagedConcept, StagedEvidence, StagedRevision, StagedTerm  # noqa: E402
from .rules import ordered_terms, term_key  # noqa: E402  (the concept rulebook: builds on the models)
from .search_index import attach_to as _attach_search_index  # noqa: E402
from .search_index import register_autogenerate_filter as _register_search_filter  # noqa: E402

# A key's terms most seen first, with what a look-up reads (kind, concept): a key thousands of concepts
# share (a common one-word name) is answered from the index alone. Migration f26a9c4e7b10.
Index("ix_term_lang_key_seen", Term.lang, Term.key, Term.count.desc(), Term.id, Term.kind, Term.concept_id)

# Substring, word-prefix and typo search structures live beside the term table (see search_index.py).
_attach_search_index(Term.__table__)
_register_search_filter()

__all__ = [
    "CANDIDATE_STATUSES",
    "CONCEPT_STATUSES",
    "LANGS",
    "MAX_DB_INT",
    "RELATION_KINDS",
    "ROLES",
    "TERM_KINDS",
    "TERM_STATUSES",
    "ApiToken",
    "Candidate",
    "Concept",
    "ConceptRelation",
    "Domain",
    "Evidence",
    "ImportJob",
    "ImportJobOutcome",
    "InternalNote",
    "Revision",
    "Source",
    "StagedConcept",
    "StagedEvidence",
    "StagedRevision",
    "StagedTerm",
    "Term",
    "TermNote",
    "User",
    "WellKnownAbbreviation",
    "curated_hant",
    "new_session_generation",
    "term_match_key",
    "term_search_keys",
    "utcnow",
]
