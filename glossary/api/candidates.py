"""The review queue for automation: list candidates, approve or reject one.

Listing needs a token (a viewer's at least), unlike the glossary's reads:
candidates are unreviewed, and their evidence quotes uploaded articles and
names their files, which is not for anonymous callers.
"""

from __future__ import annotations

from typing import Any

from flask import g, request

from ..errors import ServiceError
from ..extensions import db
from ..models import CANDIDATE_STATUSES, Candidate
from ..search import concept_document
from ..services.candidates import approve_candidate, list_candidates, reject_candidate
from ..services.rationale import alternative_readings, clean_rationale
from . import bp, json_body, require_token
from .params import int_arg, parse_id
from .responses import cached_json

EVIDENCE_SHOWN = 3


def candidate_document(candidate: Candidate) -> dict[str, Any]:
    """A candidate with its first few pieces of evidence, and why the miner read it so and not otherwise."""
    return {
        "id": candidate.id,
        "zh": candidate.zh,
        "en": candidate.en,
        "abbr": candidate.abbr,
        "confidence": candidate.confidence,
        "count": candidate.count,
        "status": candidate.status,
        "concept_id": candidate.concept_id,
        "evidence": [
            {
                "source": e.source.filename if e.source else None,
                "sentence": e.sentence,
                "start": e.start,
                "end": e.end,
                "page": e.page,
            }
            for e in candidate.evidence[:EVIDENCE_SHOWN]
        ],
        "rationale": clean_rationale(candidate.rationale),
        "alternatives": alternative_readings(candidate.alternatives),
    }


@bp.get("/candidates")
@require_token("viewer")
def candidates():
    status = request.args.get("status", "new")
    if status not in CANDIDATE_STATUSES:
        raise ServiceError(f"status must be one of {', '.join(CANDIDATE_STATUSES)}.", code="bad_parameter")
    limit = int_arg("limit", 50, minimum=1, maximum=200, clamp=True)
    offset = int_arg("offset", 0, minimum=0, maximum=1_000_000)
    rows, total = list_candidates(db.session, status=status, limit=limit, offset=offset)
    return cached_json({"results": [candidate_document(c) for c in rows], "total": total}, max_age=0, public=False)


@bp.post("/candidates/<candidate_id>/approve")
@require_token("curator")
def approve(candidate_id: str):
    edits = json_body() if request.content_length else None
    concept = approve_candidate(db.session, parse_id(candidate_id, "candidate"), g.api_user, edits)
    document = concept_document(concept)  # as approved, not as a later edit may already have left it
    db.session.commit()
    return document


@bp.post("/candidates/<candidate_id>/reject")
@require_token("curator")
def reject(candidate_id: str):
    candidate = reject_candidate(db.session, parse_id(candidate_id, "candidate"), g.api_user)
    document = candidate_document(candidate)  # as rejected, read in the same transaction
    db.session.commit()
    return document
