"""Creating, editing, deleting and reverting concepts, with optimistic locking.

Every write records a revision. A stale edit (the caller saw an older version
than the one stored) raises ``Conflict`` carrying both versions, so nothing a
curator typed is lost. A new concept that repeats an existing one's Chinese
and English terms raises ``Duplicate`` naming it, unless the caller says it is
a homonym. This module is the one home of term validation: every door (page,
API, import, review) passes its terms through ``validate_terms``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, Duplicate, NotFound, ServiceError, ValidationFailed
from ..models import (
    CONCEPT_STATUSES,
    LANGS,
    MAX_DB_INT,
    TERM_KINDS,
    TERM_STATUSES,
    Concept,
    Evidence,
    Revision,
    Term,
    User,
    utcnow,
)
from ..models.rules import FIELD_LIMITS, MAX_TERMS, REPLACE, MergePolicy, concepts_sharing, merge_terms, term_group_key
from ..text import bidi_control_in, drop_zero_width, has_cjk, to_simplified, to_traditional
from ..text.keys import CONTROL_RE
from .revisions import record_revision

EDITABLE_FIELDS = ("domain", "definition", "note", "status")
MAX_COUNT = MAX_DB_INT


def concept_snapshot(concept: Concept) -> dict[str, Any]:
    """A plain, JSON-ready picture of a concept (used for history and conflicts)."""
    return {
        "id": concept.id,
        "domain": concept.domain,
        "definition": concept.definition,
        "note": concept.note,
        "status": concept.status,
        "version": concept.version,
        "terms": [_term_snapshot(t) for t in concept.terms],
    }


def _term_snapshot(term: Term) -> dict[str, Any]:
    data = {"lang": term.lang, "text": term.text, "kind": term.kind, "status": term.status, "count": term.count or 0}
    # Only a curated form: a conversion is derived again from the text. (An import plan's terms say theirs.)
    curated = term.zh_hant_curated
    if curated:
        data["zh_hant"] = curated
    return data


def term_row(data: dict[str, Any]) -> Term:
    """A new Term from a validated term dict (``zh_hant``, when present, is a curated traditional form)."""
    return Term(**data)


def _clean_text(value: Any, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text.", details={"field": field})
    value = value.strip()
    if "\x00" in value:
        raise ValidationFailed(f"{field} contains a NUL character.", details={"field": field})
    if len(value) > limit:
        raise ValidationFailed(f"{field} is longer than {limit} characters.", details={"field": field})
    return value or None


def validate_terms(raw_terms: Any) -> list[dict[str, Any]]:
    """Check a list of term dicts and return them cleaned; raises ``ValidationFailed``."""
    if not isinstance(raw_terms, list) or not raw_terms:
        raise ValidationFailed("A concept needs at least one term.", details={"field": "terms"})
    if len(raw_terms) > MAX_TERMS:
        raise ValidationFailed(f"A concept may have at most {MAX_TERMS} terms.", details={"field": "terms"})
    cleaned, seen = [], set()
    for i, raw in enumerate(raw_terms):
        where = f"terms[{i}]"
        if not isinstance(raw, dict):
            raise ValidationFailed(f"{where} must be an object.", details={"field": where})
        text = _clean_text(raw.get("text"), f"{where}.text", FIELD_LIMITS["term"])
        # Zero-width characters are invisible, so never meant: "oxy\u200btocin" is oxytocin.
        text = drop_zero_width(text or "").strip()
        if not text:
            raise ValidationFailed(f"{where}.text is empty.", details={"field": where})
        if CONTROL_RE.search(text) or "\n" in text or "\t" in text:
            raise ValidationFailed(f"{where}.text contains control characters.", details={"field": where})
        _refuse_bidi_controls(text, where)
        for field in ("kind", "lang", "status"):
            if raw.get(field) is not None and not (isinstance(raw[field], str) and raw[field]):
                raise ValidationFailed(f"{where}.{field} must be text.", details={"field": where})
        kind = raw.get("kind") or "full"
        lang = raw.get("lang") or ("zh" if has_cjk(text) else "en")
        status = raw.get("status") or "preferred"
        if lang not in LANGS:
            raise ValidationFailed(f"{where}.lang must be one of {', '.join(LANGS)}.", details={"field": where})
        if kind not in TERM_KINDS:
            raise ValidationFailed(f"{where}.kind must be one of {', '.join(TERM_KINDS)}.", details={"field": where})
        if status not in TERM_STATUSES:
            raise ValidationFailed(
                f"{where}.status must be one of {', '.join(TERM_STATUSES)}.", details={"field": where}
            )
        if lang == "zh" and not has_cjk(text):
            raise ValidationFailed(
                f"{where}: a Chinese term must contain Chinese characters.", details={"field": where}
            )
        count = raw.get("count") or 0
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
            raise ValidationFailed(
                f"{where}.count must be a whole number from 0 to {MAX_COUNT}.", details={"field": where}
            )
        identity = (lang, kind, text)
        if identity in seen:
            continue
        seen.add(identity)
        term = {"lang": lang, "text": text, "kind": kind, "status": status, "count": count}
        hant = _curated_hant(raw.get("zh_hant"), lang, text, where)
        if hant:
            term["zh_hant"] = hant
        cleaned.append(term)
    return cleaned


def _curated_hant(value: Any, lang: str, text: str, where: str) -> str | None:
    """A curated traditional form: Chinese text, on a Chinese term; the plain conversion is not kept."""
    hant = _clean_text(value, f"{where}.zh_hant", FIELD_LIMITS["zh_hant"])
    if not hant:
        return None
    hant = drop_zero_width(hant).strip()
    if lang != "zh":
        raise ValidationFailed(
            f"{where}.zh_hant: only a Chinese term has a traditional form.", details={"field": where}
        )
    if not has_cjk(hant) or CONTROL_RE.search(hant) or "\n" in hant or "\t" in hant:
        raise ValidationFailed(f"{where}.zh_hant must be Chinese text on one line.", details={"field": where})
    _refuse_bidi_controls(hant, where)
    # Equal to what conversion gives: nothing curated, so a later edit of the text converts afresh.
    return None if hant == to_traditional(to_simplified(text)) else hant


def _refuse_bidi_controls(text: str, where: str) -> None:
    """Bidirectional controls reorder what readers see: "abc", U+202E, "gnp.exe" shows as "abcexe.png"."""
    control = bidi_control_in(text)
    if control is None:
        return
    code = f"U+{ord(control):04X}"
    raise ValidationFailed(
        f"{where}.text contains {code} {unicodedata.name(control, 'BIDI CONTROL')}, a bidirectional control "
        "character that changes the order in which the text is shown; remove it.",
        details={"field": where, "character": code},
    )


def find_duplicate(session: Session, terms: list[dict[str, Any]]) -> tuple[int, str, str] | None:
    """An existing concept with one of these Chinese terms and one of these English terms (by key).

    Returns (concept id, its Chinese term, its English term), or None. Abbreviations
    do not count: one abbreviation often stands for several concepts.
    """
    keys = {term_group_key(t["lang"], t["text"], t["kind"]) for t in terms if t["kind"] != "abbreviation"}
    if {group for group, _ in keys} != {"zh", "en"}:
        return None
    sharing = concepts_sharing(session, keys)
    both = sorted(cid for cid, shared in sharing.items() if {t.group_key[0] for t in shared} == {"zh", "en"})
    if not both:
        return None
    shared = sharing[both[0]]  # oldest first
    zh_text = next(t.text for t in shared if t.group_key[0] == "zh")
    en_text = next(t.text for t in shared if t.group_key[0] == "en")
    return both[0], zh_text, en_text


def _refuse_duplicate(session: Session, terms: list[dict[str, Any]]) -> None:
    found = find_duplicate(session, terms)
    if found is None:
        return
    concept_id, zh_text, en_text = found
    raise Duplicate(
        f"Concept {concept_id} already has the Chinese term {zh_text!r} and the English term {en_text!r}. "
        "Add to that concept instead, or mark the new one as a homonym (same names, another concept).",
        details={"concept_id": concept_id},
    )


def _apply_fields(concept: Concept, data: dict[str, Any]) -> None:
    for field in ("domain", "definition", "note"):
        if field in data:
            setattr(concept, field, _clean_text(data[field], field, FIELD_LIMITS[field]))
    if "status" in data:
        status = data["status"]
        if status not in CONCEPT_STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(CONCEPT_STATUSES)}.", details={"field": "status"})
        concept.status = status


def _register_domain(session: Session, concept: Concept) -> None:
    from .domains import register_domain  # domains edits concepts through this module

    register_domain(session, concept.domain)


def create_concept(session: Session, data: dict[str, Any], actor: User | None, action: str = "create") -> Concept:
    """Create a concept with its terms and record the revision.

    Refused with ``Duplicate`` when an existing concept has one of its Chinese and
    one of its English terms, unless ``data["homonym"]`` is true.
    """
    if not isinstance(data, dict):
        raise ValidationFailed("The concept must be an object.")
    terms = validate_terms(data.get("terms"))
    homonym = data.get("homonym", False)
    if not isinstance(homonym, bool):
        raise ValidationFailed("homonym must be true or false.", details={"field": "homonym"})
    if not homonym:
        _refuse_duplicate(session, terms)
    concept = Concept(status="approved")
    _apply_fields(concept, data)
    _register_domain(session, concept)
    concept.terms = [term_row(t) for t in terms]
    session.add(concept)
    session.flush()
    record_revision(
        session, concept_id=concept.id, actor=actor, action=action, before=None, after=concept_snapshot(concept)
    )
    return concept


def get_concept(session: Session, concept_id: int) -> Concept:
    concept = session.get(Concept, concept_id)
    if concept is None:
        raise NotFound(f"No concept has id {concept_id}.")
    return concept


def _check_version(concept: Concept, expected_version: Any, attempted: dict[str, Any]) -> None:
    if expected_version is None:
        raise ValidationFailed("The concept's version is required to save an edit.", details={"field": "version"})
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValidationFailed("version must be a whole number.", details={"field": "version"})
    if expected_version != concept.version:
        raise Conflict(
            f"Someone else saved this concept (version {concept.version}) after you opened "
            f"version {expected_version}. Your changes were not saved; compare both versions below.",
            details={"current": concept_snapshot(concept), "yours": attempted},
        )


def update_concept(
    session: Session,
    concept_id: int,
    data: dict[str, Any],
    actor: User | None,
    expected_version: Any,
    action: str = "update",
    terms_policy: MergePolicy = REPLACE,
) -> Concept:
    """Apply an edit if ``expected_version`` is still current; else raise ``Conflict``.

    ``data["terms"]`` meet the concept's terms under ``terms_policy`` (the rulebook's
    ``merge_terms``): by default they replace them, as an edit of the whole concept does.
    """
    if not isinstance(data, dict):
        raise ValidationFailed("The changes must be an object.")
    concept = get_concept(session, concept_id)
    _check_version(concept, expected_version, data)
    before = concept_snapshot(concept)
    _apply_fields(concept, data)
    _register_domain(session, concept)
    if "terms" in data:
        merge_terms(concept, validate_terms(data["terms"]), terms_policy, term_row)
    concept.updated_at = utcnow()  # always touch the row so the version moves on
    _flush_or_conflict(session, concept, data)
    record_revision(
        session, concept_id=concept.id, actor=actor, action=action, before=before, after=concept_snapshot(concept)
    )
    return concept


def _flush_or_conflict(session: Session, concept: Concept, attempted: dict[str, Any]) -> None:
    """Flush; a concurrent writer that won the race turns into a ``Conflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        current = session.get(Concept, concept.id)
        raise Conflict(
            "Someone else saved this concept at the same moment. Your changes were not saved.",
            details={"current": concept_snapshot(current) if current else None, "yours": attempted},
        ) from exc


def delete_concept(session: Session, concept_id: int, actor: User | None, expected_version: Any = None) -> None:
    """Delete a concept and its terms; the history keeps its last state."""
    concept = get_concept(session, concept_id)
    if expected_version is not None:
        _check_version(concept, expected_version, {"delete": True})
    before = concept_snapshot(concept)
    # Deleting unlinks the evidence (SET NULL); remembering it lets a revert link it again.
    before["evidence_ids"] = [e.id for e in concept.evidence]
    session.delete(concept)
    session.flush()
    record_revision(session, concept_id=concept_id, actor=actor, action="delete", before=before, after=None)


def _revertible(session: Session, revision_id: int) -> Revision:
    """The revision, if it is a change to a concept that can be undone; else a clear refusal."""
    revision = session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"No revision has id {revision_id}.")
    # A role change, a rejection, a mining run…: no concept, and no concept snapshots to go back to.
    snapshots = [snapshot for snapshot in (revision.before, revision.after) if snapshot is not None]
    of_a_concept = (
        revision.concept_id is not None
        and bool(snapshots)
        and all(isinstance(snapshot, dict) and isinstance(snapshot.get("terms"), list) for snapshot in snapshots)
    )
    if not of_a_concept:
        raise ServiceError(
            f"Revision {revision_id} ({revision.action}) is not a change to a concept; only changes to "
            "concepts can be reverted.",
            code="not_revertible",
            details={"action": revision.action},
        )
    # A JSON null is not an SQL NULL on every back end, so creations are picked out here.
    later = session.scalars(
        select(Revision).where(
            Revision.concept_id == revision.concept_id, Revision.id > revision.id, Revision.action != "revert"
        )
    )
    later_creation = next((newer.id for newer in later if newer.before is None), None)
    if later_creation is not None:
        # Before ids were AUTOINCREMENT, SQLite could give a deleted concept's id to a new one.
        raise Conflict(
            f"Id {revision.concept_id} was given to another concept after revision {revision_id} "
            f"(revision {later_creation}); reverting it would change that concept, so nothing was done.",
            details={"concept_id": revision.concept_id},
        )
    return revision


def revert_revision(session: Session, revision_id: int, actor: User | None) -> Concept | None:
    """Put a concept back as it was before the given revision (itself a new revision).

    Only revisions of concepts can be reverted, and only on the concept they
    name: a deleted concept is restored under its id only while that id is
    free, never over a live concept.
    """
    revision = _revertible(session, revision_id)
    target = revision.before
    concept = session.get(Concept, revision.concept_id)
    if target is None:  # reverting a creation: the concept goes away
        if concept is None:
            raise Conflict("The concept is already gone.")
        delete_concept(session, concept.id, actor)
        return None
    fields = {k: target.get(k) for k in EDITABLE_FIELDS}
    fields["terms"] = target["terms"]
    if concept is None:  # deleted: bring it back under its old id, as it was before the revision
        restored = Concept(id=revision.concept_id, status="approved")
        _apply_fields(restored, fields)
        restored.terms = [term_row(t) for t in validate_terms(fields["terms"])]
        session.add(restored)
        session.flush()
        evidence_ids = target.get("evidence_ids") or []
        if evidence_ids:
            session.execute(
                update(Evidence)
                .where(Evidence.id.in_(evidence_ids), Evidence.concept_id.is_(None))
                .values(concept_id=restored.id)
            )
        record_revision(
            session, concept_id=restored.id, actor=actor, action="revert", before=None, after=concept_snapshot(restored)
        )
        return restored
    if revision.after is None:  # "restore" of a deletion, but the concept is live again
        raise Conflict(
            f"Concept {concept.id} is not deleted, so there is nothing to restore; undo a later change of it instead.",
            details={"concept_id": concept.id},
        )
    return update_concept(session, concept.id, fields, actor, concept.version, action="revert")
