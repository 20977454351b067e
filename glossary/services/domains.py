"""Domains as a managed list: admins add, rename and merge them; curators choose from them.

``Concept.domain`` keeps the name as text, so renaming or merging a domain
rewrites it on every concept filed under it, each as an audited edit of that
concept. A concept saved with a domain the list lacks (the API, an import)
adds it to the list, so the list always names every domain in use.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Candidate, Concept, Domain, Evidence, User
from .concepts import update_concept

MAX_DOMAIN_LENGTH = 100


def clean_domain_name(name: object) -> str:
    """A domain name as stored: trimmed, single-spaced, 1–100 characters; else ``ValidationFailed``."""
    if not isinstance(name, str):
        raise ValidationFailed("A domain name must be text.", details={"field": "name"})
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed("Give the domain a name.", details={"field": "name"})
    if len(cleaned) > MAX_DOMAIN_LENGTH:
        raise ValidationFailed(f"A domain name is at most {MAX_DOMAIN_LENGTH} characters.", details={"field": "name"})
    return cleaned


def list_domains(session: Session) -> list[tuple[Domain, int]]:
    """Every domain with its number of concepts, alphabetically."""
    counts = dict(session.execute(select(Concept.domain, func.count()).group_by(Concept.domain)).all())
    domains = session.scalars(select(Domain).order_by(func.lower(Domain.name))).all()
    return [(domain, counts.get(domain.name, 0)) for domain in domains]


def domain_names(session: Session) -> list[str]:
    return list(session.scalars(select(Domain.name).order_by(func.lower(Domain.name))))


def _by_name(session: Session, name: str) -> Domain | None:
    return session.scalar(select(Domain).where(func.lower(Domain.name) == name.lower()))


def get_domain(session: Session, domain_id: int) -> Domain:
    domain = session.get(Domain, domain_id)
    if domain is None:
        raise NotFound(f"No domain has id {domain_id}.")
    return domain


def add_domain(session: Session, name: object) -> Domain:
    """Add a domain; one that exists already (ignoring case) is refused, naming it."""
    name = clean_domain_name(name)
    existing = _by_name(session, name)
    if existing is not None:
        raise Conflict(f"The domain “{existing.name}” exists already.", details={"domain_id": existing.id})
    domain = Domain(name=name)
    session.add(domain)
    session.flush()
    return domain


def register_domain(session: Session, name: str | None) -> None:
    """Make sure a name a concept was saved with is on the list (the API and imports may bring new ones)."""
    if not name:
        return
    # No flush here: the caller is midway through an edit, whose version must move on once only.
    with session.no_autoflush:
        pending = any(isinstance(row, Domain) and row.name.lower() == name.lower() for row in session.new)
        if not pending and _by_name(session, name) is None:
            session.add(Domain(name=name))


def _refile(session: Session, old: str, new: str, actor: User | None) -> int:
    """Move every concept from domain ``old`` to ``new``, each as an audited edit; returns how many."""
    moved = 0
    for concept in session.scalars(select(Concept).where(Concept.domain == old).order_by(Concept.id)).all():
        update_concept(session, concept.id, {"domain": new}, actor, concept.version, action="domain")
        moved += 1
    return moved


def rename_domain(session: Session, domain_id: int, new_name: object, actor: User | None) -> int:
    """Rename a domain and the concepts filed under it; a name another domain has is refused (merge instead)."""
    domain = get_domain(session, domain_id)
    name = clean_domain_name(new_name)
    other = _by_name(session, name)
    if other is not None and other.id != domain.id:
        raise Conflict(
            f"The domain “{other.name}” exists already: merge into it instead.", details={"domain_id": other.id}
        )
    old, domain.name = domain.name, name
    session.flush()
    return _refile(session, old, name, actor) if old != name else 0


def merge_domains(session: Session, source_id: int, target_id: int, actor: User | None) -> int:
    """File every concept of ``source`` under ``target`` and remove ``source`` from the list."""
    if source_id == target_id:
        raise ValidationFailed("Choose another domain to merge into.", details={"field": "target"})
    source, target = get_domain(session, source_id), get_domain(session, target_id)
    moved = _refile(session, source.name, target.name, actor)
    session.delete(source)
    session.flush()
    return moved


def suggest_domain(session: Session, candidate: Candidate, sharing: list[Concept] | None = None) -> str | None:
    """The domain to prefill on approval: that of the concepts sharing its terms, else the one most
    used by concepts approved from the same sources. ``sharing``: those concepts, when the caller
    has found them already (the review queue, for a whole page in one query)."""
    from .candidates import suggest_concepts  # candidates imports this module

    if sharing is None:
        sharing = suggest_concepts(session, candidate.zh, candidate.en, candidate.abbr)
    for concept in sharing:
        if concept.domain:
            return concept.domain
    sources = {evidence.source_id for evidence in candidate.evidence}
    if not sources:
        return None
    rows = session.execute(
        select(Concept.domain, func.count(func.distinct(Concept.id)))
        .join(Evidence, Evidence.concept_id == Concept.id)
        .where(Evidence.source_id.in_(sources), Concept.domain.is_not(None))
        .group_by(Concept.domain)
    ).all()
    counts = Counter({domain: n for domain, n in rows})
    return counts.most_common(1)[0][0] if counts else None
