"""Reviewing mined candidates: approve (optionally edited), reject, merge, bulk.

A candidate is unique by its dedupe key forever, so a rejected proposal is
never put in the queue again when the same text is mined a second time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Candidate, Concept, Evidence, Term, User
from ..textkeys import abbr_key, english_key, has_cjk, zh_key
from .concepts import concept_snapshot, create_concept, update_concept
from .revisions import record_revision

REVIEWABLE = ("new",)


def candidate_dedupe_key(zh: str, en: str, abbr: str) -> str:
    """One key per distinct proposal: folded zh | folded en | abbreviation as written."""
    return f"{zh_key(zh or '')}|{english_key(en or '')}|{(abbr or '').strip()}"


def get_candidate(session: Session, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"No candidate has id {candidate_id}.")
    return candidate


def list_candidates(session: Session, status: str = "new", source_id: int | None = None,
                    limit: int = 50, offset: int = 0) -> tuple[list[Candidate], int]:
    """Candidates by confidence then frequency, with the total for paging."""
    stmt = select(Candidate).where(Candidate.status == status)
    if source_id is not None:
        stmt = stmt.where(Candidate.id.in_(
            select(Evidence.candidate_id).where(Evidence.source_id == source_id)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Candidate.evidence).selectinload(Evidence.source))
        .order_by(Candidate.confidence.desc(), Candidate.count.desc(), Candidate.id)
        .limit(limit).offset(offset)
    ).all()
    return list(rows), total


def suggest_concepts(session: Session, zh: str, en: str, abbr: str, limit: int = 5) -> list[Concept]:
    """Existing concepts sharing the Chinese, the English or the abbreviation."""
    conditions = []
    if zh:
        conditions.append((Term.lang == "zh") & (Term.key == zh_key(zh)))
    if en:
        conditions.append((Term.lang == "en") & (Term.kind != "abbreviation") & (Term.key == english_key(en)))
    if abbr:
        conditions.append((Term.kind == "abbreviation") & (Term.key == abbr_key(abbr)))
    if not conditions:
        return []
    ids = session.scalars(select(Term.concept_id).where(or_(*conditions)).distinct().limit(limit)).all()
    return [session.get(Concept, i) for i in ids]


def _proposal(candidate: Candidate, edits: dict[str, Any] | None) -> dict[str, str]:
    edits = edits or {}
    proposal = {}
    for field in ("zh", "en", "abbr"):
        value = edits.get(field, getattr(candidate, field))
        if value is not None and not isinstance(value, str):
            raise ValidationFailed(f"{field} must be text.", details={"field": field})
        proposal[field] = (value or "").strip()
    if proposal["zh"] and not has_cjk(proposal["zh"]):
        raise ValidationFailed("The Chinese term must contain Chinese characters.", details={"field": "zh"})
    if not (proposal["zh"] or proposal["en"]):
        raise ValidationFailed("A concept needs a Chinese or an English term.")
    if not (proposal["en"] or proposal["abbr"]) or not (proposal["zh"] or proposal["abbr"]):
        raise ValidationFailed("A glossary entry pairs Chinese with English or with an abbreviation.")
    return proposal


def _terms_for(proposal: dict[str, str], count: int) -> list[dict[str, Any]]:
    terms = []
    if proposal["zh"]:
        terms.append({"lang": "zh", "text": proposal["zh"], "kind": "full", "count": count})
    if proposal["en"]:
        terms.append({"lang": "en", "text": proposal["en"], "kind": "full", "count": count})
    if proposal["abbr"]:
        terms.append({"lang": "en", "text": proposal["abbr"], "kind": "abbreviation", "count": count})
    return terms


def _exact_duplicate(session: Session, proposal: dict[str, str]) -> Concept | None:
    """A concept that already has this zh and this en (or this abbreviation + expansion)."""
    for concept in suggest_concepts(session, proposal["zh"], proposal["en"], proposal["abbr"], limit=20):
        keys = {(t.lang, t.kind == "abbreviation", t.key) for t in concept.terms}
        zh_ok = not proposal["zh"] or ("zh", False, zh_key(proposal["zh"])) in keys
        en_ok = not proposal["en"] or ("en", False, english_key(proposal["en"])) in keys
        abbr_ok = not proposal["abbr"] or ("en", True, abbr_key(proposal["abbr"])) in keys
        if zh_ok and en_ok and abbr_ok:
            return concept
        if proposal["abbr"] and abbr_ok and ((zh_ok and proposal["zh"]) or (en_ok and proposal["en"])):
            return concept
    return None


def _require_new(candidate: Candidate) -> None:
    if candidate.status not in REVIEWABLE:
        raise Conflict(f"This candidate was already {candidate.status}.",
                       details={"status": candidate.status})


def _link_evidence(candidate: Candidate, concept: Concept) -> None:
    for evidence in candidate.evidence:
        evidence.concept_id = concept.id


def approve_candidate(session: Session, candidate_id: int, actor: User | None,
                      edits: dict[str, Any] | None = None) -> Concept:
    """Make the candidate a concept (or add it to its exact duplicate); ``edits`` override its text."""
    candidate = get_candidate(session, candidate_id)
    _require_new(candidate)
    proposal = _proposal(candidate, edits)
    duplicate = _exact_duplicate(session, proposal)
    if duplicate is not None:
        return merge_candidate(session, candidate_id, duplicate.id, actor, edits=edits)
    data: dict[str, Any] = {"terms": _terms_for(proposal, candidate.count)}
    for field in ("domain", "definition", "note"):
        if edits and edits.get(field):
            data[field] = edits[field]
    concept = create_concept(session, data, actor, action="approve")
    candidate.status = "approved"
    candidate.concept_id = concept.id
    _link_evidence(candidate, concept)
    session.flush()
    return concept


def merge_candidate(session: Session, candidate_id: int, concept_id: int, actor: User | None,
                    edits: dict[str, Any] | None = None, expected_version: int | None = None) -> Concept:
    """Add the candidate's terms that the concept lacks; the concept's preferred terms stay preferred."""
    candidate = get_candidate(session, candidate_id)
    _require_new(candidate)
    concept = session.get(Concept, concept_id)
    if concept is None:
        raise NotFound(f"No concept has id {concept_id}.")
    proposal = _proposal(candidate, edits)
    terms = concept_snapshot(concept)["terms"]
    present = {(t["lang"], t["kind"] == "abbreviation",
                abbr_key(t["text"]) if t["kind"] == "abbreviation" else
                zh_key(t["text"]) if t["lang"] == "zh" else english_key(t["text"])) for t in terms}
    for new in _terms_for(proposal, candidate.count):
        is_abbr = new["kind"] == "abbreviation"
        key = abbr_key(new["text"]) if is_abbr else zh_key(new["text"]) if new["lang"] == "zh" \
            else english_key(new["text"])
        if (new["lang"], is_abbr, key) in present:
            for term in terms:  # seen again: count it
                if term["lang"] == new["lang"] and term["text"] == new["text"]:
                    term["count"] = (term.get("count") or 0) + candidate.count
            continue
        has_preferred = any(t["lang"] == new["lang"] and (t["kind"] == "abbreviation") == is_abbr
                            and t["status"] == "preferred" for t in terms)
        if has_preferred and not is_abbr:
            new = {**new, "kind": "variant", "status": "admitted"}
        elif has_preferred:
            new = {**new, "status": "admitted"}
        terms.append(new)
        present.add((new["lang"], is_abbr, key))
    version = concept.version if expected_version is None else expected_version
    update_concept(session, concept.id, {"terms": terms}, actor, version, action="merge")
    candidate.status = "merged"
    candidate.concept_id = concept.id
    _link_evidence(candidate, concept)
    session.flush()
    return concept


def reject_candidate(session: Session, candidate_id: int, actor: User | None) -> Candidate:
    """Reject for good: re-mining the same text will not propose it again."""
    candidate = get_candidate(session, candidate_id)
    _require_new(candidate)
    candidate.status = "rejected"
    session.flush()
    proposal = {"candidate_id": candidate.id, "zh": candidate.zh, "en": candidate.en, "abbr": candidate.abbr}
    record_revision(session, concept_id=None, actor=actor, action="reject",
                    before={**proposal, "status": "new"}, after={**proposal, "status": "rejected"})
    return candidate


def bulk_approve(session: Session, candidate_ids: list[int], actor: User | None) -> list[Concept]:
    """Approve several at once; one refusal refuses all (the caller rolls back)."""
    if not candidate_ids:
        raise ValidationFailed("Select at least one candidate.")
    return [approve_candidate(session, cid, actor) for cid in dict.fromkeys(candidate_ids)]
