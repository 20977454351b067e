"""The review queue: mined candidates become concepts, merge into one, or are rejected for good.

Every action is a plain form post that returns to the queue at the next
candidate (``#c-<id>``), so the keyboard script only has to press buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import ServiceError, ValidationFailed
from ..extensions import db
from ..models import CANDIDATE_STATUSES, Candidate, Source
from ..services.candidates import (
    approve_candidate,
    bulk_approve,
    get_candidate,
    list_candidates,
    merge_candidate,
    plan_merge,
    reject_candidate,
    restore_candidate,
    split_scripts,
    suggest_concepts,
    suggestions_for,
)
from ..services.concept_lists import find_concepts
from ..services.concepts import get_concept
from ..services.documents import list_sources
from ..services.domains import domain_names, suggest_domain
from .access import commit_and_redirect, role_required
from .forms import CandidateForm, offer_domains

bp = Blueprint("review", __name__)

PER_PAGE = 25
READING_FIELDS = ("zh", "zh_hant", "en", "abbr")
MAX_PER_PAGE = 200


def candidate_label(candidate: Candidate, edits: dict[str, str] | None = None) -> str:
    values = {k: (edits or {}).get(k, getattr(candidate, k)) for k in ("zh", "en", "abbr")}
    return " · ".join(v for v in values.values() if v)


def _back() -> str:
    """Where the form came from: a queue URL only, so a post cannot redirect off-site."""
    return _back_from(request.form.get("next", ""))


def _back_from(target: str) -> str:
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
    suggestions = (
        suggestions_for(db.session, {c.id: (c.zh, c.en, c.abbr) for c in candidates}) if status == "new" else {}
    )
    domains = (
        {c.id: suggest_domain(db.session, c, suggestions.get(c.id, [])) for c in candidates} if status == "new" else {}
    )
    source = db.session.get(Source, source_id) if source_id else None
    here = {"status": status, "source": source_id, "page": page, "per_page": per_page}
    return render_template(
        "review/queue.html",
        candidates=candidates,
        total=total,
        page=page,
        pages=pages,
        status=status,
        source=source,
        sources=list_sources(db.session),
        suggestions=suggestions,
        here=here,
        statuses=CANDIDATE_STATUSES,
        domains=domains,
        domain_names=domain_names(db.session),
    )


@bp.post("/review/<int:candidate_id>/approve")
@role_required("curator")
def approve(candidate_id: int):
    domain = request.form.get("domain", "").strip()

    def run() -> str:
        if domain and domain not in domain_names(db.session):
            raise ValidationFailed(
                f"“{domain}” is not on the list of domains; an admin can add it.", details={"field": "domain"}
            )
        edits = {"domain": domain} if domain else None
        concept = approve_candidate(db.session, candidate_id, current_user, edits=edits)
        return f"Approved {candidate_label(get_candidate(db.session, candidate_id))} (concept {concept.id})."

    return _perform(run)


@bp.post("/review/<int:candidate_id>/reject")
@role_required("curator")
def reject(candidate_id: int):
    def run() -> str:
        candidate = reject_candidate(db.session, candidate_id, current_user)
        return f"Rejected {candidate_label(candidate)}; it will not be proposed again."

    return _perform(run)


def _reading_edits(values) -> dict[str, str] | None:
    """A corrected reading carried from the edit page to the merge preview and its form."""
    edits = {key: values[key].strip() for key in READING_FIELDS if key in values}
    return edits or None


@bp.post("/review/<int:candidate_id>/restore")
@role_required("curator")
def restore(candidate_id: int):
    def run() -> str:
        candidate = restore_candidate(db.session, candidate_id, current_user)
        return f"Restored {candidate_label(candidate)} to the queue; re-mining counts it again."

    return _perform(run)


@bp.get("/review/<int:candidate_id>/merge")
@role_required("curator")
def merge_preview(candidate_id: int):
    """Before merging: find the target concept (by id or by searching), then see each term it would add."""
    candidate = get_candidate(db.session, candidate_id)
    next_url = _back_from(request.args.get("next", ""))
    if candidate.status != "new":
        flash(f"This candidate was already {candidate.status}.", "error")
        return redirect(next_url)
    query = request.args.get("q", "").strip()[:200]
    concept_id = request.args.get("concept_id", type=int)
    if concept_id is None and query.isdigit():
        concept_id = int(query)
    concept = options = found = None
    edits = _reading_edits(request.args)
    if concept_id is not None:
        concept = get_concept(db.session, concept_id)
        try:
            options = plan_merge(db.session, candidate_id, concept_id, edits)
        except ValidationFailed as exc:
            flash(exc.message, "error")
            return redirect(url_for(".edit", candidate_id=candidate_id, next=next_url, **(edits or {})))
    elif query:
        found = find_concepts(db.session, query)
    return render_template(
        "review/merge.html",
        candidate=candidate,
        concept=concept,
        options=options,
        found=found,
        query=query,
        next_url=next_url,
        edits=edits or {},
        suggestions=suggest_concepts(db.session, candidate.zh, candidate.en, candidate.abbr),
    )


@bp.post("/review/<int:candidate_id>/merge")
@role_required("curator")
def merge(candidate_id: int):
    """Merge with the terms ticked on the preview; a post that did not come from it goes to it first."""
    concept_id = request.form.get("concept_id", "")
    if not concept_id.isdigit():
        flash("Choose the concept to merge into.", "error")
        return redirect(url_for(".merge_preview", candidate_id=candidate_id, next=_back()))
    if request.form.get("reviewed") != "1":
        return redirect(url_for(".merge_preview", candidate_id=candidate_id, concept_id=concept_id, next=_back()))
    chosen = request.form.getlist("add")
    edits = _reading_edits(request.form)

    def run() -> str:
        concept = merge_candidate(db.session, candidate_id, int(concept_id), current_user, edits=edits, chosen=chosen)
        added = [value.split(":", 2)[2] for value in chosen]
        what = f"added {', '.join(added)}" if added else "no term added, its terms counted"
        return f"Merged {candidate_label(get_candidate(db.session, candidate_id))} into concept {concept.id}: {what}."

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
    # Mined in traditional script: kept as written as the traditional form, the simplified one derived.
    prefill["zh_hant"], prefill["zh"] = split_scripts(prefill["zh"], request.args.get("zh_hant", ""))
    prefill["domain"] = suggest_domain(db.session, candidate) or ""
    form = CandidateForm(data=prefill)
    offer_domains(form.domain, domain_names(db.session))
    if form.validate_on_submit():
        merge_into = request.form.get("merge_into", "")
        if merge_into.isdigit():  # the corrected reading, to the preview of what merging it adds
            reading = {key: form.edits()[key] for key in READING_FIELDS}
            return redirect(
                url_for(
                    ".merge_preview",
                    candidate_id=candidate_id,
                    concept_id=merge_into,
                    next=request.values.get("next", ""),
                    **reading,
                )
            )
        try:
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
    return render_template(
        "review/edit.html",
        candidate=candidate,
        form=form,
        suggestions=suggestions,
        next_url=request.values.get("next", ""),
    ), status
