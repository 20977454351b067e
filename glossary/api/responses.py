"""HTTP details shared by the API's views: conditional GETs, caching and CORS.

Reads answer with a strong ``ETag`` (a hash of the body) and a short
``Cache-Control``; a matching ``If-None-Match`` gets ``304 Not Modified`` with
no body. Endpoints that editor plugins call from a browser (reads, lookup,
annotate, check) allow any origin, preflight included; writes do not, since
they carry a bearer token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

__all__ = ["CORS_ENDPOINTS", "cached_json", "register_cors"]

# Endpoint names (without the blueprint prefix) that browsers on other sites may call.
CORS_ENDPOINTS = frozenset({
    "search", "get_concept", "abbreviation", "lookup", "annotate", "check", "openapi_json", "ping",
})
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Content-Type, If-None-Match",
    "Access-Control-Expose-Headers": "ETag",
    "Access-Control-Max-Age": "86400",
}


def cached_json(payload: Any, *, max_age: int = 30, public: bool = True) -> Response:
    """A JSON answer with an ``ETag`` and ``Cache-Control``; ``304`` when the client has it."""
    response = jsonify(payload)
    response.add_etag()
    scope = "public" if public else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
    return response.make_conditional(request)


def register_cors(bp: Blueprint) -> None:
    """Add CORS headers to the answers (and preflights) of ``CORS_ENDPOINTS``."""

    @bp.after_request
    def add_cors_headers(response: Response) -> Response:
        endpoint = (request.endpoint or "").rpartition(".")[2]
        if endpoint in CORS_ENDPOINTS:
            response.headers.update(_CORS_HEADERS)
            methods = request.url_rule.methods if request.url_rule else {"GET"}
            response.headers["Access-Control-Allow-Methods"] = ", ".join(
                sorted(m for m in methods if m != "HEAD"))
            response.vary.add("Origin")
        return response
