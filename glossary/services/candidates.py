"""Reviewing mined candidates: approve (optionally edited), reject, merge, bulk.

A candidate is unique by its dedupe key forever, so a rejected proposal is
never put in the queue again when the same text is mined a second time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Candidate, Concept, Evidence, User
from ..models.rules import MERGE_CANDIDATE, TermKey, concepts_sharing, term_group_key
from ..search.check_glossary import english_keys
from ..text import english_key, has_cjk, to_simplified, zh_key
from ..text.abbreviations import abbreviation_variant_key
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


def list_candidates(
    session: Session, status: str = "new", source_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Candidate], int]:
    """Candidates by confidence then frequency, with the total for paging."""
    stmt = select(Candidate).where(Candidate.status == status)
    if source_id is not None:
        stmt = stmt.where(Candidate.id.in_(select(Evidence.candidate_id).where(Evidence.source_id == source_id)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Candidate.evidence).selectinload(Evidence.source))
        .order_by(Candidate.confidence.desc(), Candidate.count.desc(), Candidate.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def _proposal_keys(zh: str, en: str, abbr: str) -> set[TermKey]:
    """The (group, key) of each name a proposal gives: its Chinese, its English, its abbreviation."""
    named = (("zh", zh, "full"), ("en", en, "full"), ("en", abbr, "abbreviation"))
    return {term_group_key(lang, text, kind) for lang, text, kind in named if text and text.strip()}


def suggest_concepts(session: Session, zh: str, en: str, abbr: str, limit: int = 5) -> list[Concept]:
    """Existing concepts sharing the Chinese, the English or the abbreviation; those sharing most first."""
    found = suggestions_for(session, {0: (zh, en, abbr)}, limit)
    return found[0]


def suggestions_for(
    session: Session, proposals: dict[int, tuple[str, str, str]], limit: int = 5
) -> dict[int, list[Concept]]:
    """``suggest_concepts`` for many proposals (id → (zh, en, abbr)) in two queries, whatever their number.

    Each list holds at most ``limit`` concepts: those sharing more of the proposal's names first,
    then the older.
    """
    keys = {pid: _proposal_keys(*names) for pid, names in proposals.items()}
    sharing = concepts_sharing(session, set().union(set(), *keys.values()))
    chosen: dict[int, list[int]] = {}
    for pid, wanted in keys.items():
        hits = []
        for cid, terms in sharing.items():
            shared = {term.group_key for term in terms} & wanted
            if shared:
                hits.append((len(shared), cid))
        chosen[pid] = [cid for _, cid in sorted(hits, key=lambda hit: (-hit[0], hit[1]))[:limit]]
    ids = set().union(set(), *chosen.values())
    loaded = {c.id: c for c in session.scalars(select(Concept).where(Concept.id.in_(ids)))} if ids else {}
    # A concept deleted between the two queries is left out.
    return {pid: [loaded[cid] for cid in cids if cid in loaded] for pid, cids in chosen.items()}


def _proposal(candidate: Candidate, edits: dict[str, Any] | None) -> dict[str, str]:
    edits = edits or {}
    proposal = {}
    for field in ("zh", "en", "abbr"):
        value = edits.get(field, getattr(candidate, field))
        if value is not None and not isinstance(value, str):
            raise ValidationFailed(f"{field} must be text.", details={"field": field})
        proposal[field] = (value or "").strip()
    hant = edits.get("zh_hant")
    if hant is not None and not isinstance(hant, str):
        raise ValidationFailed("zh_hant must be text.", details={"field": "zh_hant"})
    proposal["zh_hant"], proposal["zh"] = split_scripts(proposal["zh"], (hant or "").strip())
    if proposal["zh"] and not has_cjk(proposal["zh"]):
        raise ValidationFailed("The Chinese term must contain Chinese characters.", details={"field": "zh"})
    if not (proposal["zh"] or proposal["en"]):
        raise ValidationFailed("A concept needs a Chinese or an English term.")
    if not (proposal["en"] or proposal["abbr"]) or not (proposal["zh"] or proposal["abbr"]):
        raise ValidationFailed("A glossary entry pairs Chinese with English or with an abbreviation.")
    return proposal


def split_scripts(zh: str, hant: str = "") -> tuple[str, str]:
    """(traditional, simplified) of a mined Chinese term: one written in traditional script is kept as
    written as the traditional form and its simplified form derived; ``hant`` is a form the curator set."""
    if zh and to_simplified(zh) != zh:
        return hant or zh, to_simplified(zh)
    return hant, zh


def _terms_for(proposal: dict[str, str], count: int) -> list[dict[str, Any]]:
    terms = []
    if proposal["zh"]:
        zh = {"lang": "zh", "text": proposal["zh"], "kind": "full", "count": count}
        if proposal.get("zh_hant"):
            zh["zh_hant"] = proposal["zh_hant"]
        terms.append(zh)
    if proposal["en"]:
        terms.append({"lang": "en", "text": proposal["en"], "kind": "full", "count": count})
    if proposal["abbr"]:
        terms.append({"lang": "en", "text": proposal["abbr"], "kind": "abbreviation", "count": count})
    return terms


def _exact_duplicate(session: Session, proposal: dict[str, str]) -> Concept | None:
    """A concept that already has this zh and this en (or this abbreviation + expansion)."""
    for concept in suggest_concepts(session, proposal["zh"], proposal["en"], proposal["abbr"], limit=20):
        keys = {term_group_key(t.lang, t.text, t.kind) for t in concept.terms}
        zh_ok = not proposal["zh"] or term_group_key("zh", proposal["zh"]) in keys
        en_ok = not proposal["en"] or term_group_key("en", proposal["en"]) in keys
        abbr_ok = not proposal["abbr"] or term_group_key("en", proposal["abbr"], "abbreviation") in keys
        if zh_ok and en_ok and abbr_ok:
            return concept
        if proposal["abbr"] and abbr_ok and ((zh_ok and proposal["zh"]) or (en_ok and proposal["en"])):
            return concept
    return None


def _require_new(candidate: Candidate) -> None:
    if candidate.status not in REVIEWABLE:
        raise Conflict(f"This candidate was already {candidate.status}.", details={"status": candidate.status})


def _link_evidence(candidate: Candidate, concept: Concept) -> None:
    for evidence in candidate.evidence:
        evidence.concept_id = concept.id


def approve_candidate(
    session: Session, candidate_id: int, actor: User | None, edits: dict[str, Any] | None = None
) -> Concept:
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


def _why_not_by_default(option: dict[str, Any], terms: list[dict[str, Any]]) -> str | None:
    """Why adding this term would be a mistake more often than not: a phrase around a term, a plural."""
    same = [
        t
        for t in terms
        if t["lang"] == option["lang"] and (t["kind"] == "abbreviation") == (option["kind"] == "abbreviation")
    ]
    if option["lang"] == "zh":
        key = zh_key(option["text"])
        inside = next((t["text"] for t in same if zh_key(t["text"]) in key), None)
        if inside:
            return f"a longer phrase around 「{inside}」, not another name of it"
    elif option["kind"] == "abbreviation":
        key = abbreviation_variant_key(option["text"])
        twin = next((t["text"] for t in same if abbreviation_variant_key(t["text"]) == key), None)
        if twin:
            return f"another spelling (plural, case) of {twin}"
    else:
        keys = english_keys(option["text"])
        twin = next((t["text"] for t in same if english_keys(t["text"]) & keys), None)
        if twin:
            return f"the plural or singular of {twin}"
    return None


def plan_merge(
    session: Session, candidate_id: int, concept_id: int, edits: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """What merging would do, term by term, before it does it.

    Each option: ``id``, ``lang``, ``kind``, ``text`` (``zh_hant``), ``present`` (the concept has it:
    only its count goes up), ``add`` (ticked by default) and ``reason``. The candidate's reading is
    ticked unless it is a phrase around one of the concept's terms or a plural of one; the miner's
    other readings are offered unticked.
    """
    candidate = get_candidate(session, candidate_id)
    concept = session.get(Concept, concept_id)
    if concept is None:
        raise NotFound(f"No concept has id {concept_id}.")
    proposal = _proposal(candidate, edits)
    terms = concept_snapshot(concept)["terms"]
    present = {term_group_key(t["lang"], t["text"], t["kind"]) for t in terms}
    offered: list[tuple[dict[str, Any], str | None]] = [(term, None) for term in _terms_for(proposal, candidate.count)]
    for alternative in candidate.alternatives or []:
        if not isinstance(alternative, dict):
            continue
        reading = {k: v if isinstance(v := alternative.get(k), str) else "" for k in ("zh", "en", "abbr")}
        hant, reading["zh"] = split_scripts(reading["zh"].strip())
        for term in _terms_for({**reading, "zh_hant": hant}, candidate.count):
            offered.append((term, "another reading the miner considered"))
    options, seen = [], set()
    for term, alt_reason in offered:
        key = term_group_key(term["lang"], term["text"], term["kind"])
        if key in seen or not term["text"].strip():
            continue
        seen.add(key)
        option = {**term, "id": f"{term['lang']}:{term['kind']}:{term['text']}", "present": key in present}
        if option["present"]:
            option.update(add=False, reason="already a term of this concept: its count goes up")
        else:
            caution = _why_not_by_default(option, terms)
            option.update(add=not (caution or alt_reason), reason=caution or alt_reason or "a new term")
        options.append(option)
    return options


def merge_candidate(
    session: Session,
    candidate_id: int,
    concept_id: int,
    actor: User | None,
    edits: dict[str, Any] | None = None,
    expected_version: int | None = None,
    chosen: list[str] | None = None,
) -> Concept:
    """Add the terms chosen from ``plan_merge`` (its defaults when ``chosen`` is None) to the concept.

    Terms the concept has are counted again; the concept's preferred terms stay preferred (the
    rulebook's ``MERGE_CANDIDATE`` policy).
    """
    candidate = get_candidate(session, candidate_id)
    _require_new(candidate)
    options = plan_merge(session, candidate_id, concept_id, edits)
    concept = session.get(Concept, concept_id)
    if concept is None:  # plan_merge has refused a missing concept already
        raise NotFound(f"No concept has id {concept_id}.")
    by_id = {option["id"]: option for option in options}
    if chosen is None:
        chosen = [option["id"] for option in options if option["add"]]
    unknown = [c for c in chosen if c not in by_id or by_id[c]["present"]]
    if unknown:
        raise ValidationFailed(f"{unknown[0]!r} is not one of the terms this merge can add.", details={"field": "add"})
    # The terms the concept has are seen again (counted), the chosen ones added.
    incoming = [option for option in options if option["present"]]
    incoming += [by_id[option_id] for option_id in dict.fromkeys(chosen)]
    terms = [
        {"lang": o["lang"], "text": o["text"], "kind": o["kind"], "count": candidate.count}
        | ({"zh_hant": o["zh_hant"]} if o.get("zh_hant") else {})
        for o in incoming
    ]
    version = concept.version if expected_version is None else expected_version
    update_concept(session, concept.id, {"terms": terms}, actor, version, action="merge", terms_policy=MERGE_CANDIDATE)
    candidate.status = "merged"
    candidate.concept_id = concept.id
    _link_evidence(candidate, concept)
    session.flush()
    return concept


def reject_candidate(session: Session, candidate_id: int, actor: User | None) -> Candidate:
    """Reject for good: re-mining the same text will not propose it again."""
    candidate = get_candidate(session, candidate_id)
    _require_new(candidate)
    return _move(session, candidate, "rejected", action="reject", actor=actor)


def restore_candidate(session: Session, candidate_id: int, actor: User | None) -> Candidate:
    """Put a rejected candidate back in the queue; re-mining then counts it again instead of skipping it."""
    candidate = get_candidate(session, candidate_id)
    if candidate.status != "rejected":
        raise Conflict(
            f"Only a rejected candidate can be restored; this one is {candidate.status}.",
            details={"status": candidate.status},
        )
    return _move(session, candidate, "new", action="restore", actor=actor)


def _move(session: Session, candidate: Candidate, status: str, *, action: str, actor: User | None) -> Candidate:
    """Give the candidate a new status, and record the move in the history."""
    proposal = {"candidate_id": candidate.id, "zh": candidate.zh, "en": candidate.en, "abbr": candidate.abbr}
    before = {**proposal, "status": candidate.status}
    candidate.status = status
    session.flush()
    record_revision(
        session, concept_id=None, actor=actor, action=action, before=before, after={**proposal, "status": status}
    )
    return candidate


def bulk_approve(session: Session, candidate_ids: list[int], actor: User | None) -> list[Concept]:
    """Approve several at once; one refusal refuses all (the caller rolls back)."""
    if not candidate_ids:
        raise ValidationFailed("Select at least one candidate.")
    return [approve_candidate(session, cid, actor) for cid in dict.fromkeys(candidate_ids)]
