"""Read endpoints for people and editor plugins: search, abbreviations, lookup, annotate, check."""

from __future__ import annotations

from flask import request

from ..errors import ServiceError
from ..extensions import db
from ..models.rules import FIELD_LIMITS
from ..search import (
    LANG_FILTERS,
    MAX_ANNOTATE_CHARS,
    MAX_LOOKUP_TERMS,
    MAX_QUERY_LENGTH,
    annotate_text,
    check_draft,
    expand_abbreviation,
    lookup_terms,
    search_concepts,
)
from ..search.result_cache import remember
from . import bp, json_body
from .params import int_arg, text_field
from .representations import abbreviation_expansions, annotation_list, check_report, lookup_results, search_page
from .responses import cached_body, cached_json, json_body_of

MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_CHECK_CHARS = 200_000


@bp.get("/search")
def search():
    query = request.args.get("q", "").strip()
    if not query:
        raise ServiceError("Say what to look for: /api/v1/search?q=…", code="bad_parameter")
    if len(query) > MAX_QUERY_LENGTH:
        raise ServiceError(f"q is longer than {MAX_QUERY_LENGTH} characters.", code="bad_parameter")
    lang = request.args.get("lang")
    if lang is not None and lang not in LANG_FILTERS:
        raise ServiceError(f"lang must be one of {', '.join(LANG_FILTERS)}.", code="bad_parameter")
    limit = int_arg("limit", 20, minimum=1, maximum=MAX_LIMIT, clamp=True)
    offset = int_arg("offset", 0, minimum=0, maximum=MAX_OFFSET)
    body = remember(
        db.engine,
        lambda: db.session,
        ("api.search", query, lang, limit, offset),
        lambda: json_body_of(search_page(search_concepts(db.session, query, lang=lang, limit=limit, offset=offset))),
    )
    return cached_body(body)


@bp.get("/abbreviations/<path:abbr>")
def abbreviation(abbr: str):
    if len(abbr) > FIELD_LIMITS["abbreviation"]:
        raise ServiceError(
            f"An abbreviation is at most {FIELD_LIMITS['abbreviation']} characters.", code="bad_parameter"
        )
    return cached_json(abbreviation_expansions(expand_abbreviation(db.session, abbr)))


@bp.post("/lookup")
def lookup():
    terms = json_body().get("terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ServiceError("terms must be a list of strings.", code="bad_request")
    if len(terms) > MAX_LOOKUP_TERMS:
        raise ServiceError(
            f"At most {MAX_LOOKUP_TERMS} terms a call; send the rest in another.", code="too_many_terms", status=413
        )
    if any(len(t) > FIELD_LIMITS["term"] for t in terms):
        raise ServiceError(f"A term is at most {FIELD_LIMITS['term']} characters.", code="bad_request")
    fuzzy = json_body().get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise ServiceError("fuzzy must be true or false.", code="bad_request")
    return lookup_results(lookup_terms(db.session, terms, fuzzy=fuzzy))


@bp.post("/annotate")
def annotate():
    text = text_field(json_body(), "text", max_length=MAX_ANNOTATE_CHARS)
    return annotation_list(annotate_text(db.session, text))


@bp.post("/check")
def check():
    text = text_field(json_body(), "text", max_length=MAX_CHECK_CHARS)
    return check_report(check_draft(db.session, text))
