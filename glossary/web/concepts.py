"""Concept pages: the terms, the evidence, the history; editing, deleting, reverting.

A stale save is not an error page: the curator sees both versions side by
side with their own edit still in the form, ready to apply again.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import Conflict, Duplicate, ValidationFailed
from ..extensions import db
from ..models import Concept
from ..services.concepts import (
    EDITABLE_FIELDS,
    concept_snapshot,
    create_concept,
    delete_concept,
    get_concept,
    revert_revision,
    update_concept,
)
from ..services.conflicts import rebase_edit, snapshot_at, term_identity
from ..services.revisions import concept_history
from .forms import ConceptForm, DeleteConceptForm, role_required

bp = Blueprint("concepts", __name__)

EVIDENCE_SHOWN = 40


# --- template helpers -------------------------------------------------------

@bp.app_template_global()
def highlight(sentence: str, needles: list[str] | tuple[str, ...]) -> list[tuple[str, bool]]:
    """Split ``sentence`` into (text, is_match) pieces; the template escapes each piece.

    Longest needles first, case-insensitive, so ``5-HT`` inside ``5-HTT`` and
    ``oxytocin`` inside ``Oxytocin receptor`` are marked the way a reader expects.
    """
    sentence = sentence or ""
    wanted = sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True)
    if not wanted:
        return [(sentence, False)]
    pattern = re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE)
    pieces, at = [], 0
    for match in pattern.finditer(sentence):
        if match.start() > at:
            pieces.append((sentence[at:match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(sentence):
        pieces.append((sentence[at:], False))
    return pieces


def _text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff (Chinese has no spaces to split on): ('same'|'del'|'ins', text)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", old[a1:a2]))
            continue
        if a2 > a1:
            pieces.append(("del", old[a1:a2]))
        if b2 > b1:
            pieces.append(("ins", new[b1:b2]))
    return pieces


def _term_label(term: dict[str, Any]) -> str:
    lang, kind, text = term_identity(term)
    kind = "" if kind == "full" else f", {kind}"
    return f"{text} ({lang}{kind}, {term.get('status') or 'preferred'})"


@bp.app_template_global()
def snapshot_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What a revision changed, as readable lines: field, before, after, and an inline diff."""
    before, after = before or {}, after or {}
    changes = []
    for field in EDITABLE_FIELDS:
        old, new = before.get(field) or "", after.get(field) or ""
        if old != new:
            diff = _text_diff(old, new) if old and new else None
            changes.append({"field": field, "before": old, "after": new, "diff": diff})
    old_terms = {term_identity(t): t for t in before.get("terms") or []}
    new_terms = {term_identity(t): t for t in after.get("terms") or []}
    for identity, term in old_terms.items():
        if identity not in new_terms:
            changes.append({"field": "term removed", "before": _term_label(term), "after": ""})
        elif new_terms[identity].get("status") != term.get("status"):
            changes.append({"field": "term status", "before": _term_label(term),
                            "after": _term_label(new_terms[identity])})
    for identity, term in new_terms.items():
        if identity not in old_terms:
            changes.append({"field": "term added", "before": "", "after": _term_label(term)})
    return changes


# --- pages ------------------------------------------------------------------

@bp.get("/concepts/<int:concept_id>")
def show(concept_id: int):
    concept = db.session.get(Concept, concept_id)
    history = concept_history(db.session, concept_id)
    if concept is None:
        if not history:
            abort(404, f"No concept has id {concept_id}.")
        # Deleted: its history survives, so it can be brought back.
        return render_template("concepts/deleted.html", concept_id=concept_id, history=history,
                               last=history[0].before), 404
    needles = [t.text for t in concept.terms]
    return render_template("concepts/show.html", concept=concept, history=history, needles=needles,
                           evidence=concept.evidence[:EVIDENCE_SHOWN], evidence_total=len(concept.evidence))


@bp.route("/concepts/new", methods=["GET", "POST"])
@role_required("curator")
def new():
    form = ConceptForm()
    if form.validate_on_submit():
        try:
            concept = create_concept(db.session, {**form.concept_data(), "homonym": form.homonym.data}, current_user)
        except (ValidationFailed, Duplicate) as exc:
            db.session.rollback()
            flash(exc.message, "error")
            existing = exc.details.get("concept_id") if isinstance(exc, Duplicate) else None
            return render_template("concepts/edit.html", form=form, concept=None, existing=existing), exc.status
        db.session.commit()
        flash("Concept created.", "success")
        return redirect(url_for(".show", concept_id=concept.id))
    if not form.is_submitted():
        form.terms.entries.clear()
        form.add_blank_rows(4)
    return render_template("concepts/edit.html", form=form, concept=None)


@bp.route("/concepts/<int:concept_id>/edit", methods=["GET", "POST"])
@role_required("curator")
def edit(concept_id: int):
    concept = get_concept(db.session, concept_id)
    if request.method == "GET":
        form = ConceptForm(data=concept_snapshot(concept))
        form.add_blank_rows()
        return render_template("concepts/edit.html", form=form, concept=concept)
    form = ConceptForm()
    if not form.validate():
        return render_template("concepts/edit.html", form=form, concept=concept), 422
    try:
        update_concept(db.session, concept_id, form.concept_data(), current_user, form.expected_version())
    except Conflict as exc:
        db.session.rollback()
        return _conflict_page(concept_id, form, exc)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return render_template("concepts/edit.html", form=form, concept=get_concept(db.session, concept_id)), 422
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for(".show", concept_id=concept_id))


def _conflict_page(concept_id: int, form: ConceptForm, exc: Conflict):
    """Both versions side by side, and the form refilled with yours applied on top of theirs."""
    concept = get_concept(db.session, concept_id)
    theirs = exc.details.get("current") or concept_snapshot(concept)
    yours = form.concept_data()
    base = snapshot_at(db.session, concept_id, form.expected_version())
    merged, clashes = rebase_edit(base, theirs, yours)
    refilled = ConceptForm(formdata=None, data={**merged, "version": theirs["version"]})
    refilled.add_blank_rows()
    return render_template("concepts/edit.html", form=refilled, concept=concept, conflict=exc.message,
                           theirs=theirs, yours=yours, merged=merged, clashes=clashes), 409


@bp.route("/concepts/<int:concept_id>/delete", methods=["GET", "POST"])
@role_required("curator")
def delete(concept_id: int):
    concept = get_concept(db.session, concept_id)
    form = DeleteConceptForm(version=concept.version)
    if form.validate_on_submit():
        version = form.version.data
        delete_concept(db.session, concept_id, current_user,
                       expected_version=int(version) if version and version.isdigit() else None)
        db.session.commit()
        flash(f"Concept {concept_id} deleted. Its history keeps it; it can be restored from there.", "success")
        return redirect(url_for("main.index"))
    return render_template("concepts/delete.html", form=form, concept=concept)


@bp.post("/revisions/<int:revision_id>/revert")
@role_required("curator")
def revert(revision_id: int):
    concept = revert_revision(db.session, revision_id, current_user)
    db.session.commit()
    if concept is None:
        flash("Reverted: that change created the concept, so the concept is now deleted.", "success")
        return redirect(url_for("main.index"))
    flash("Reverted. The revert is itself in the history and can be undone.", "success")
    return redirect(url_for(".show", concept_id=concept.id, _anchor="history"))
