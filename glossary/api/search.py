"""Read endpoints for people and editor plugins: search, abbreviations, lookup, annotate, check."""

from __future__ import annotations

from flask import request

from ..errors import ServiceError
from ..extensions import db
from ..search import (
    LANG_FILTERS,
    MAX_ANNOTATE_CHARS,
    MAX_LOOKUP_TERMS,
    MAX_QUERY_LENGTH,
    annotate_text,
    check_draft,
    concept_document,
    expand_abbreviation,
    lookup_terms,
    search_concepts,
)
from ..search.result_cache import remember
from . import bp, json_body
from .params import int_arg, text_field
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
        db.session,
        ("api.search", query, lang, limit, offset),
        lambda: json_body_of(_search_page(query, lang, limit, offset)),
    )
    return cached_body(body)


def _search_page(query: str, lang: str | None, limit: int, offset: int) -> dict:
    page = search_concepts(db.session, query, lang=lang, limit=limit, offset=offset)
    results = [
        {
            "concept": concept_document(hit.concept),
            "match": {
                "kind": hit.match_kind,
                "field": hit.field,
                "score": hit.score,
                "term": hit.matched_term.text if hit.matched_term is not None else None,
            },
        }
        for hit in page.results
    ]
    return {"results": results, "total": page.total, "in_query": page.in_query}


@bp.get("/abbreviations/<path:abbr>")
def abbreviation(abbr: str):
    if len(abbr) > 100:
        raise ServiceError("An abbreviation is at most 100 characters.", code="bad_parameter")
    return cached_json(expand_abbreviation(db.session, abbr))


@bp.post("/lookup")
def lookup():
    terms = json_body().get("terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ServiceError("terms must be a list of strings.", code="bad_request")
    if len(terms) > MAX_LOOKUP_TERMS:
        raise ServiceError(
            f"At most {MAX_LOOKUP_TERMS} terms a call; send the rest in another.", code="too_many_terms", status=413
        )
    if any(len(t) > 500 for t in terms):
        raise ServiceError("A term is at most 500 characters.", code="bad_request")
    fuzzy = json_body().get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise ServiceError("fuzzy must be true or false.", code="bad_request")
    results = lookup_terms(db.session, terms, fuzzy=fuzzy)
    return {"results": results, "total": len(results)}


@bp.post("/annotate")
def annotate():
    text = text_field(json_body(), "text", max_length=MAX_ANNOTATE_CHARS)
    results = annotate_text(db.session, text)
    return {"results": results, "total": len(results)}


@bp.post("/check")
def check():
    text = text_field(json_body(), "text", max_length=MAX_CHECK_CHARS)
    return check_draft(db.session, text)
