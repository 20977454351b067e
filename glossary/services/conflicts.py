"""Resolving a stale edit: apply what the curator changed on top of what someone else saved.

When a save is refused as stale, the page offers the curator's edit again.
Re-posting the whole form as typed would silently undo the other person's
changes to fields the curator never touched, so the form is refilled with a
three-way merge instead: the version the curator opened (from the history),
theirs (current) and yours. Where both changed the same thing, yours is kept
and the clash is named, so the curator decides with both versions in view.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import rules
from ..text import has_cjk
from .concepts import EDITABLE_FIELDS
from .revisions import concept_history

TermIdentity = tuple[str, str, str]


def term_identity(term: dict[str, Any]) -> TermIdentity:
    """The rulebook's (lang, kind, text); a term typed with language "auto" has none yet, so infer it
    as the service does."""
    text = (term.get("text") or "").strip()
    return rules.term_identity({**term, "text": text, "lang": term.get("lang") or ("zh" if has_cjk(text) else "en")})


def snapshot_at(session: Session, concept_id: int, version: int | None) -> dict[str, Any] | None:
    """The concept as it was at ``version``, from its history (None if unknown)."""
    if version is None:
        return None
    for revision in concept_history(session, concept_id):
        if revision.after and revision.after.get("version") == version:
            return revision.after
    return None


def rebase_edit(
    base: dict[str, Any] | None, theirs: dict[str, Any], yours: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Yours applied to theirs, relative to ``base``; returns the merged edit and what both changed."""
    if base is None:  # the opened version is not in the history: offer yours as typed
        return yours, []
    merged: dict[str, Any] = {}
    clashes = []
    for field in EDITABLE_FIELDS:
        was, their, your = (base.get(field) or "", theirs.get(field) or "", yours.get(field) or "")
        if your == was:
            merged[field] = theirs.get(field)
            continue
        merged[field] = yours.get(field)
        if their not in (was, your):
            clashes.append(field)
    base_terms = {term_identity(t): t for t in base.get("terms") or []}
    your_terms = {term_identity(t): t for t in yours.get("terms") or []}
    result = {term_identity(t): dict(t) for t in theirs.get("terms") or []}
    for identity, term in your_terms.items():
        before = base_terms.get(identity)
        if before is None:
            result[identity] = term  # you added it
        elif term.get("status") != before.get("status"):
            if identity not in result or result[identity].get("status") != before.get("status"):
                clashes.append(f"term {identity[2]}")
            result[identity] = {**result.get(identity, term), "status": term.get("status")}
        if before is not None and identity in result and term.get("zh_hant") != before.get("zh_hant"):
            result[identity] = {**result[identity], "zh_hant": term.get("zh_hant")}  # you set its traditional form
    for identity in base_terms.keys() - your_terms.keys():
        result.pop(identity, None)  # you deleted it
    merged["terms"] = list(result.values())
    return merged, clashes
