"""The review queue for automation: list candidates, approve or reject one.

Listing needs a token (a viewer's at least), unlike the glossary's reads:
candidates are unreviewed, and their evidence quotes uploaded articles and
names their files, which is not for anonymous callers.
"""

from __future__ import annotations

from typing import Any

from flask import g, request

from ..errors import ServiceError, ValidationFailed
from ..extensions import db
from ..models import CANDIDATE_STATUSES
from ..services.candidates import approve_candidate, list_candidates, reject_candidate
from . import bp, json_body, require_token
from .params import int_arg, parse_id
from .representations import candidate, candidate_list, concept
from .responses import cached_json


@bp.get("/candidates")
@require_token("viewer")
def candidates():
    status = request.args.get("status", "new")
    if status not in CANDIDATE_STATUSES:
        raise ServiceError(f"status must be one of {', '.join(CANDIDATE_STATUSES)}.", code="bad_parameter")
    limit = int_arg("limit", 50, minimum=1, maximum=200, clamp=True)
    offset = int_arg("offset", 0, minimum=0, maximum=1_000_000)
    rows, total = list_candidates(db.session, status=status, limit=limit, offset=offset)
    return cached_json(candidate_list(rows, total), max_age=0, public=False)


def _edits(data: dict[str, Any]) -> dict[str, Any]:
    """The body of an approval: ``abbreviations`` (a list of at most one) read as the candidate's
    ``abbr``, which the deprecated ``abbr`` field still sets for one release."""
    if "abbreviations" not in data:
        return data
    edits = {k: v for k, v in data.items() if k != "abbreviations"}
    listed = data["abbreviations"]
    if not isinstance(listed, list) or len(listed) > 1 or not all(isinstance(a, str) for a in listed):
        raise ServiceError(
            "abbreviations must be a list of at most one abbreviation (a candidate has one).", code="bad_request"
        )
    abbr = listed[0] if listed else ""
    if "abbr" in data and (data["abbr"] or "") != abbr:
        raise ValidationFailed(
            "abbr and abbreviations disagree: send abbreviations only (abbr is deprecated).",
            details={"field": "abbreviations"},
        )
    edits["abbr"] = abbr
    return edits


@bp.post("/candidates/<candidate_id>/approve")
@require_token("curator")
def approve(candidate_id: str):
    edits = _edits(json_body()) if request.content_length else None
    approved = approve_candidate(db.session, parse_id(candidate_id, "candidate"), g.api_user, edits)
    document = concept(approved)  # as approved, not as a later edit may already have left it
    db.session.commit()
    return document


@bp.post("/candidates/<candidate_id>/reject")
@require_token("curator")
def reject(candidate_id: str):
    rejected = reject_candidate(db.session, parse_id(candidate_id, "candidate"), g.api_user)
    document = candidate(rejected)  # as rejected, read in the same transaction
    db.session.commit()
    return document
