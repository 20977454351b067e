"""Concepts: public reads, curator writes (recorded as revisions by the services)."""

from __future__ import annotations

from flask import g, request, url_for

from ..errors import ServiceError
from ..extensions import db
from ..services.concepts import create_concept, delete_concept, get_concept, update_concept
from . import bp, json_body, require_token
from .params import parse_id
from .representations import concept
from .responses import cached_json


@bp.get("/concepts/<concept_id>", endpoint="get_concept")
def get_concept_view(concept_id: str):
    return cached_json(concept(get_concept(db.session, parse_id(concept_id))))


@bp.post("/concepts")
@require_token("curator")
def create_concept_view():
    created = create_concept(db.session, json_body(), g.api_user)
    document = concept(created)  # as stored: after the commit another writer may already have moved it on
    db.session.commit()
    return document, 201, {"Location": url_for("api.get_concept", concept_id=created.id)}


@bp.patch("/concepts/<concept_id>")
@require_token("curator")
def update_concept_view(concept_id: str):
    data = json_body()
    changes = {k: v for k, v in data.items() if k != "version"}
    updated = update_concept(db.session, parse_id(concept_id), changes, g.api_user, data.get("version"))
    # The answer is the version this edit made. Read after the commit, it could be another
    # curator's newer save, and the client would take that as what it had saved.
    document = concept(updated)
    db.session.commit()
    return document


@bp.delete("/concepts/<concept_id>")
@require_token("curator")
def delete_concept_view(concept_id: str):
    version = request.args.get("version")
    if version is not None and not version.isdigit():
        raise ServiceError("version must be a whole number.", code="bad_parameter")
    delete_concept(
        db.session, parse_id(concept_id), g.api_user, expected_version=int(version) if version is not None else None
    )
    db.session.commit()
    return "", 204
