"""The JSON API at /api/v1: public reads, bearer-token writes (and review-queue reads), JSON errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, request

from ..errors import ServiceError, Unauthorized
from ..extensions import db
from ..services.accounts import authenticate_token
from ..services.token_use import record_token_use

bp = Blueprint("api", __name__, url_prefix="/api/v1")


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
