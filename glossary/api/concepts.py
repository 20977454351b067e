"""Concepts: public reads, curator writes (recorded as revisions by the services)."""

from __future__ import annotations

from flask import g, request, url_for

from ..errors import ServiceError, ValidationFailed
from ..extensions import db
from ..search import concept_document
from ..services.concepts import create_concept, delete_concept, get_concept, update_concept
from . import bp, json_body, require_token
from .params import parse_id
from .responses import cached_json

MAX_COUNT = 2**31 - 1  # a database INTEGER


def _reject_malformed_terms(data: dict) -> dict:
    """What the concept service lets through: term fields must be text (null means the default), counts must fit."""
    terms = data.get("terms")
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        if not isinstance(term, dict):
            continue
        for field in ("lang", "kind", "status"):
            if term.get(field) is not None and not (isinstance(term[field], str) and term[field]):
                raise ValidationFailed(f"terms[{i}].{field} must be text.", details={"field": f"terms[{i}]"})
        count = term.get("count")
        if isinstance(count, int) and count > MAX_COUNT:
            raise ValidationFailed(f"terms[{i}].count must be at most {MAX_COUNT}.", details={"field": f"terms[{i}]"})
    return data


@bp.get("/concepts/<concept_id>", endpoint="get_concept")
def get_concept_view(concept_id: str):
    return cached_json(concept_document(get_concept(db.session, parse_id(concept_id))))


@bp.post("/concepts")
@require_token("curator")
def create_concept_view():
    concept = create_concept(db.session, _reject_malformed_terms(json_body()), g.api_user)
    db.session.commit()
    return concept_document(concept), 201, {"Location": url_for("api.get_concept", concept_id=concept.id)}


@bp.patch("/concepts/<concept_id>")
@require_token("curator")
def update_concept_view(concept_id: str):
    data = _reject_malformed_terms(json_body())
    changes = {k: v for k, v in data.items() if k != "version"}
    concept = update_concept(db.session, parse_id(concept_id), changes, g.api_user, data.get("version"))
    db.session.commit()
    return concept_document(concept)


@bp.delete("/concepts/<concept_id>")
@require_token("curator")
def delete_concept_view(concept_id: str):
    version = request.args.get("version")
    if version is not None and not version.isdigit():
        raise ServiceError("version must be a whole number.", code="bad_parameter")
    delete_concept(db.session, parse_id(concept_id), g.api_user,
                   expected_version=int(version) if version is not None else None)
    db.session.commit()
    return "", 204
