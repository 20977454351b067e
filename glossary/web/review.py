"""The review queue: mined candidates become concepts, merge into one, or are rejected for good.

Every action is a plain form post that returns to the queue at the next
candidate (``#c-<id>``), so the keyboard script only has to press buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import ServiceError
from ..extensions import db
from ..models import CANDIDATE_STATUSES, Candidate, Source
from ..services.candidates import (
    approve_candidate,
    bulk_approve,
    get_candidate,
    list_candidates,
    merge_candidate,
    reject_candidate,
    suggest_concepts,
)
from ..services.documents import list_sources
from ..services.rationale import alternative_readings, clean_rationale, is_explained
from .forms import CandidateForm, MergeForm, commit_and_redirect, role_required

bp = Blueprint("review", __name__)

PER_PAGE = 25
MAX_PER_PAGE = 200

# The templates read a candidate's rationale through the same cleaning as the API,
# so an old or odd row shows nothing rather than breaking the queue.
bp.add_app_template_filter(clean_rationale, "rationale")
bp.add_app_template_filter(alternative_readings, "alternative_readings")
bp.add_app_template_test(is_explained, "explained")


def candidate_label(candidate: Candidate, edits: dict[str, str] | None = None) -> str:
    values = {k: (edits or {}).get(k, getattr(candidate, k)) for k in ("zh", "en", "abbr")}
    return " · ".join(v for v in values.values() if v)


def _back() -> str:
    """Where the form came from: a queue URL only, so a post cannot redirect off-site."""
    target = request.form.get("next", "")
    if target.startswith("/review") and "//" not in target and "\\" not in target:
        return target
    return url_for(".queue")


def _perform(action: Callable[[], str]):
    return commit_and_redirect(action, _back())


@bp.get("/review")
@role_required("curator")
def queue():
    status = request.args.get("status", "new")
    if status not in CANDIDATE_STATUSES:
        status = "new"
    source_id = request.args.get("source", type=int)
    per_page = min(max(request.args.get("per_page", PER_PAGE, type=int), 5), MAX_PER_PAGE)
    page = max(request.args.get("page", 1, type=int), 1)
    candidates, total = list_candidates(db.session, status, source_id, per_page, (page - 1) * per_page)
    pages = max(ceil(total / per_page), 1)
    if page > pages:  # the last page emptied by reviewing: show the one before
        return redirect(url_for(".queue", status=status, source=source_id, page=pages, per_page=per_page))
    suggestions = {c.id: suggest_concepts(db.session, c.zh, c.en, c.abbr) for c in candidates} \
        if status == "new" else {}
    source = db.session.get(Source, source_id) if source_id else None
    here = {"status": status, "source": source_id, "page": page, "per_page": per_page}
    return render_template("review/queue.html", candidates=candidates, total=total, page=page, pages=pages,
                           status=status, source=source, sources=list_sources(db.session),
                           suggestions=suggestions, here=here, statuses=CANDIDATE_STATUSES)


@bp.post("/review/<int:candidate_id>/approve")
@role_required("curator")
def approve(candidate_id: int):
    def run() -> str:
        concept = approve_candidate(db.session, candidate_id, current_user)
        return f"Approved {candidate_label(get_candidate(db.session, candidate_id))} (concept {concept.id})."

    return _perform(run)


@bp.post("/review/<int:candidate_id>/reject")
@role_required("curator")
def reject(candidate_id: int):
    def run() -> str:
        candidate = reject_candidate(db.session, candidate_id, current_user)
        return f"Rejected {candidate_label(candidate)}; it will not be proposed again."

    return _perform(run)


@bp.post("/review/<int:candidate_id>/merge")
@role_required("curator")
def merge(candidate_id: int):
    form = MergeForm()
    if not form.validate():
        flash("Give the id of the concept to merge into.", "error")
        return redirect(_back())

    def run() -> str:
        concept = merge_candidate(db.session, candidate_id, form.concept_id.data, current_user)
        return f"Merged {candidate_label(get_candidate(db.session, candidate_id))} into concept {concept.id}."

    return _perform(run)


@bp.post("/review/bulk")
@role_required("curator")
def bulk():
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]

    def run() -> str:
        concepts = bulk_approve(db.session, ids, current_user)
        return f"Approved {len(concepts)} candidates."

    return _perform(run)


@bp.route("/review/<int:candidate_id>/edit", methods=["GET", "POST"])
@role_required("curator")
def edit(candidate_id: int):
    """Correct a candidate (boundary, English form, abbreviation), then approve or merge it."""
    candidate = get_candidate(db.session, candidate_id)
    if candidate.status != "new":
        flash(f"This candidate was already {candidate.status}.", "error")
        return redirect(url_for(".queue"))
    # An alternative reading from the queue arrives in the query string and pre-fills the form.
    prefill = {k: request.args.get(k, getattr(candidate, k)) for k in ("zh", "en", "abbr")}
    form = CandidateForm(data=prefill)
    if form.validate_on_submit():
        merge_into = request.form.get("merge_into", "")
        try:
            if merge_into.isdigit():
                concept = merge_candidate(db.session, candidate_id, int(merge_into), current_user,
                                          edits=form.edits())
            else:
                concept = approve_candidate(db.session, candidate_id, current_user, edits=form.edits())
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Approved {candidate_label(candidate, form.edits())} (concept {concept.id}).", "success")
            return redirect(_back())
    suggestions = suggest_concepts(db.session, form.zh.data or "", form.en.data or "", form.abbr.data or "")
    status = 422 if form.is_submitted() else 200
    return render_template("review/edit.html", candidate=candidate, form=form, suggestions=suggestions,
                           next_url=request.values.get("next", "")), status
