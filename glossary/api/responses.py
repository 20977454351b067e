"""HTTP details shared by the API's views: conditional GETs, caching and CORS.

Reads answer with a strong ``ETag`` (a hash of the body) and a short
``Cache-Control``; a matching ``If-None-Match`` gets ``304 Not Modified`` with
no body. Endpoints that editor plugins call from a browser (reads, lookup,
annotate, check) allow any origin, preflight included; writes do not, since
they carry a bearer token.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from flask import Blueprint, Response, current_app, jsonify, request

__all__ = ["CORS_ENDPOINTS", "JsonBody", "cached_body", "cached_json", "json_body_of", "register_cors"]

# Endpoint names (without the blueprint prefix) that browsers on other sites may call.
CORS_ENDPOINTS = frozenset(
    {
        "search",
        "get_concept",
        "abbreviation",
        "lookup",
        "annotate",
        "check",
        "openapi_json",
        "ping",
    }
)
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


class JsonBody(NamedTuple):
    """A serialized JSON answer and its ETag, ready to be served again."""

    data: bytes
    etag: str


def json_body_of(payload: Any) -> JsonBody:
    data = current_app.json.dumps(payload).encode("utf-8") + b"\n"
    return JsonBody(data, hashlib.sha1(data, usedforsecurity=False).hexdigest())


# Request headers that can make an answer conditional (304, 412) or partial (206).
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE")


def cached_body(body: JsonBody, *, max_age: int = 30) -> Response:
    """Serve a prepared JSON body with its ``ETag``; ``304`` when the client has it.

    A repeated search is answered from memory, so the few microseconds here are much of its cost:
    the headers are given at once, and the conditional checks run only when the request has such headers.
    """
    response = Response(
        body.data,
        mimetype="application/json",
        headers={"ETag": f'"{body.etag}"', "Cache-Control": f"public, max-age={max_age}"},
    )
    environ = request.environ
    if any(name in environ for name in _CONDITIONAL_HEADERS):
        response.make_conditional(request)
    return response


def register_cors(bp: Blueprint) -> None:
    """Add CORS headers to the answers (and preflights) of ``CORS_ENDPOINTS``."""

    @bp.after_request
    def add_cors_headers(response: Response) -> Response:
        endpoint = (request.endpoint or "").rpartition(".")[2]
        if endpoint in CORS_ENDPOINTS:
            response.headers.update(_CORS_HEADERS)
            methods = request.url_rule.methods if request.url_rule else {"GET"}
            response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(m for m in methods if m != "HEAD"))
            response.vary.add("Origin")
        return response
