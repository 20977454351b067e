"""Concept pages: the terms, the evidence, the history; editing, deleting, reverting.

A stale save is not an error page: the curator sees both versions side by
side with their own edit still in the form, ready to apply again.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..errors import Conflict, Duplicate, ValidationFailed
from ..extensions import db
from ..models import Concept
from ..services.concept_lists import deleted_concepts, find_concepts
from ..services.concepts import (
    concept_snapshot,
    create_concept,
    delete_concept,
    get_concept,
    revert_revision,
    update_concept,
)
from ..services.conflicts import rebase_edit, snapshot_at
from ..services.domains import domain_names
from ..services.internal_notes import internal_note, set_internal_note
from ..services.relations import LABELS as RELATION_LABELS
from ..services.relations import add_relation, related_concepts, remove_relation
from ..services.revisions import concept_history
from ..services.term_notes import set_term_notes, term_notes
from .access import commit_and_redirect, role_required
from .forms import ConceptForm, DeleteConceptForm, offer_domains

bp = Blueprint("concepts", __name__)

EVIDENCE_SHOWN = 40
DELETED_PER_PAGE = 100


# --- pages ------------------------------------------------------------------


@bp.get("/concepts/<int:concept_id>")
def show(concept_id: int):
    concept = db.session.get(Concept, concept_id)
    curator = current_user.is_authenticated and current_user.can("curator")
    history = concept_history(db.session, concept_id, public=not curator)
    if concept is None:
        if not history:
            abort(404, f"No concept has id {concept_id}.")
        # Deleted: its history survives, so it can be brought back.
        return render_template(
            "concepts/deleted.html", concept_id=concept_id, history=history, last=history[0].before
        ), 404
    # Evidence quotes the text as written, so traditional forms are marked too.
    needles = [t.text for t in concept.terms] + [t.zh_hant for t in concept.terms if t.zh_hant]
    return render_template(
        "concepts/show.html",
        concept=concept,
        history=history,
        needles=needles,
        evidence=concept.evidence[:EVIDENCE_SHOWN],
        evidence_total=len(concept.evidence),
        related=related_concepts(db.session, concept_id),
        relation_labels=RELATION_LABELS,
        term_notes=term_notes(db.session, concept_id),
        internal=internal_note(db.session, concept_id) if curator else "",
    )


@bp.get("/concepts/deleted")
@role_required("curator")
def deleted():
    """Deleted concepts, latest first, each linking to its page (history, "Restore the concept")."""
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = deleted_concepts(db.session, DELETED_PER_PAGE, (page - 1) * DELETED_PER_PAGE)
    pages = max(-(-total // DELETED_PER_PAGE), 1)
    return render_template("concepts/deleted_list.html", rows=rows, total=total, page=page, pages=pages)


@bp.route("/concepts/new", methods=["GET", "POST"])
@role_required("curator")
def new():
    form = ConceptForm()
    offer_domains(form.domain, domain_names(db.session))
    if form.validate_on_submit():
        try:
            concept = create_concept(db.session, {**form.concept_data(), "homonym": form.homonym.data}, current_user)
            set_internal_note(db.session, concept.id, form.internal_note.data or "", current_user)
            set_term_notes(db.session, concept.id, form.term_notes(), current_user)
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
        form = ConceptForm(data=_form_data(concept))
        offer_domains(form.domain, domain_names(db.session), concept.domain)
        form.add_blank_rows()
        return render_template("concepts/edit.html", form=form, concept=concept)
    form = ConceptForm()
    offer_domains(form.domain, domain_names(db.session), concept.domain)
    if not form.validate():
        return render_template("concepts/edit.html", form=form, concept=concept), 422
    try:
        update_concept(db.session, concept_id, form.concept_data(), current_user, form.expected_version())
        set_internal_note(db.session, concept_id, form.internal_note.data or "", current_user)
        set_term_notes(db.session, concept_id, form.term_notes(), current_user)
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


def _form_data(concept: Concept) -> dict[str, Any]:
    """The concept as the edit form shows it: its snapshot, each term's note and the internal note."""
    data = concept_snapshot(concept)
    notes = term_notes(db.session, concept.id)
    for term, row in zip(data["terms"], concept.terms, strict=True):
        term["note"] = notes.get(row.id, "")
    return {**data, "internal_note": internal_note(db.session, concept.id)}


def _conflict_page(concept_id: int, form: ConceptForm, exc: Conflict):
    """Both versions side by side, and the form refilled with yours applied on top of theirs."""
    concept = get_concept(db.session, concept_id)
    theirs = exc.details.get("current") or concept_snapshot(concept)
    yours = form.concept_data()
    base = snapshot_at(db.session, concept_id, form.expected_version())
    merged, clashes = rebase_edit(base, theirs, yours)
    refilled = ConceptForm(
        formdata=None, data={**merged, "version": theirs["version"], "internal_note": form.internal_note.data}
    )
    offer_domains(refilled.domain, domain_names(db.session), merged.get("domain"))
    refilled.add_blank_rows()
    return render_template(
        "concepts/edit.html",
        form=refilled,
        concept=concept,
        conflict=exc.message,
        theirs=theirs,
        yours=yours,
        merged=merged,
        clashes=clashes,
    ), 409


@bp.route("/concepts/<int:concept_id>/delete", methods=["GET", "POST"])
@role_required("curator")
def delete(concept_id: int):
    concept = get_concept(db.session, concept_id)
    form = DeleteConceptForm(version=concept.version)
    if form.validate_on_submit():
        version = form.version.data
        delete_concept(
            db.session,
            concept_id,
            current_user,
            expected_version=int(version) if version and version.isdigit() else None,
        )
        db.session.commit()
        # Markup survives the session cookie, so the message can link to where the concept can be restored.
        flash(
            Markup(
                'Concept {id} deleted. Its history keeps it: <a href="{page}">restore it from its page</a> '
                'or see <a href="{deleted}">all deleted concepts</a>.'
            ).format(id=concept_id, page=url_for(".show", concept_id=concept_id), deleted=url_for(".deleted")),
            "success",
        )
        return redirect(url_for("main.index"))
    return render_template("concepts/delete.html", form=form, concept=concept)


@bp.post("/concepts/<int:concept_id>/relations")
@role_required("curator")
def relate(concept_id: int):
    """Link another concept, named by id or found by a search that matches exactly one."""
    kind = request.form.get("kind", "")
    query = request.form.get("target", "").strip()[:200]
    back = url_for(".show", concept_id=concept_id, _anchor="related")

    def run() -> str:
        found = [c for c in find_concepts(db.session, query) if c.id != concept_id] if query else []
        if len(found) != 1:
            names = ", ".join(str(c.id) for c in found[:5])
            raise ValidationFailed(
                f"“{query}” names {len(found)} other concepts"
                + (f" ({names})" if found else "")
                + "; give the id of one.",
                details={"field": "target"},
            )
        add_relation(db.session, concept_id, kind, found[0].id, current_user)
        return f"Linked concept {found[0].id} ({RELATION_LABELS.get(kind, kind)})."

    return commit_and_redirect(run, back)


@bp.post("/concepts/<int:concept_id>/relations/<int:relation_id>/delete")
@role_required("curator")
def unrelate(concept_id: int, relation_id: int):
    def run() -> str:
        remove_relation(db.session, concept_id, relation_id, current_user)
        return "Link removed."

    return commit_and_redirect(run, url_for(".show", concept_id=concept_id, _anchor="related"))


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
