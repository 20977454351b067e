"""The JSON API at /api/v1: public reads, bearer-token writes (and review-queue reads), JSON errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from flask import Blueprint, g, request

from ..errors import ServiceError, Unauthorized
from ..extensions import db
from ..services.accounts import authenticate_token
from ..services.token_use import record_token_use

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI = Path(__file__).with_name("openapi.json")


@cache
def documented_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """(method, path template) → the query parameters the OpenAPI document gives the operation."""
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    known: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in document["paths"].items():
        shared = [p for p in item.get("parameters", []) if "$ref" not in p]
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            parameters = [*shared, *operation.get("parameters", [])]
            resolved = [_resolve(document, p) for p in parameters]
            known[(method, path)] = frozenset(p["name"] for p in resolved if p.get("in") == "query")
    return known


@cache
def _path_template(rule: str) -> str:
    """``/api/v1/concepts/<int:concept_id>`` → ``/concepts/{concept_id}``, as the OpenAPI document writes
    it (once per rule: every request of the API asks)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(bp.url_prefix or ""))


def _resolve(document: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    reference = parameter.get("$ref", "")
    if not reference:
        return parameter
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


@bp.before_request
def refuse_unknown_query_parameters() -> None:
    """A misspelt parameter (``?stauts=rejected``) is a clear 400, not silently ignored."""
    rule = request.url_rule
    if rule is None or not request.args:
        return
    known = documented_query_parameters().get((request.method.lower(), _path_template(rule.rule)))
    if known is None:
        return  # HEAD, OPTIONS and the document itself
    unknown = sorted(set(request.args) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise ServiceError(
            f"Unknown query parameter {', '.join(unknown)}; this operation takes: {takes}.", code="bad_parameter"
        )


def require_token(role: str = "curator") -> Callable:
    """The view needs ``Authorization: Bearer <token>`` of a user with ``role`` or above.

    A missing or refused token is a 401 that says why and names the scheme
    (``WWW-Authenticate: Bearer``); a token of too low a role is a 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthorized("This needs an API token: send `Authorization: Bearer <token>`.")
            user = authenticate_token(db.session, token.strip())
            record_token_use(db.session)  # at most once a minute, outside this request's transaction
            if not user.can(role):
                raise ServiceError(f"This needs the {role} role.", code="forbidden", status=403)
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a clear 400."""
    if not request.is_json:
        raise ServiceError("Send a JSON body with Content-Type: application/json.", code="bad_json")
    try:
        data = json.loads(request.get_data(cache=True).decode("utf-8"))
        # A lone surrogate (raw or as a \\udcff escape) is no text any database can store.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except RecursionError:  # the parser recurses once per nesting level
        raise ServiceError("The JSON body is nested too deeply.", code="bad_json") from None
    except UnicodeError:
        raise ServiceError("The JSON body is not valid UTF-8 text.", code="bad_json") from None
    except ValueError:
        raise ServiceError("The request body is not valid JSON.", code="bad_json") from None
    if not isinstance(data, dict):
        raise ServiceError("The JSON body must be an object.", code="bad_json")
    return data


# The endpoints, one module per resource; imported last because they use ``bp``.
from . import candidates, concepts, docs, documents, export, search  # noqa: E402, F401
from .responses import register_cors  # noqa: E402

register_cors(bp)
