"""Reading query-string and body values with clear 400s, so views stay one-liners."""

from __future__ import annotations

from typing import Any

from flask import request

from ..errors import ServiceError
from ..models import MAX_DB_INT

__all__ = ["int_arg", "parse_id", "text_field"]

_MAX_ID = MAX_DB_INT  # larger ids cannot exist, and would overflow the database's integer


def int_arg(name: str, default: int, *, minimum: int, maximum: int, clamp: bool = False) -> int:
    """A whole-number query parameter; above ``maximum`` it is clamped or refused."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ServiceError(f"{name} must be a whole number.", code="bad_parameter") from None
    if value > maximum and clamp:
        return maximum
    if not minimum <= value <= maximum:
        raise ServiceError(f"{name} must be between {minimum} and {maximum}.", code="bad_parameter")
    return value


def parse_id(raw: str, what: str = "concept") -> int:
    """A path id: 400 when it is not a whole number (a huge one simply does not exist)."""
    if not raw.isascii() or not raw.isdigit():
        raise ServiceError(f"A {what} id is a whole number, not {raw[:40]!r}.", code="bad_id")
    value = int(raw)
    return value if value <= _MAX_ID else 0


def text_field(data: dict[str, Any], name: str, *, max_length: int) -> str:
    """A required string field of a JSON body; 413 above ``max_length`` characters."""
    value = data.get(name)
    if not isinstance(value, str):
        raise ServiceError(f"{name} must be a string.", code="bad_request")
    if len(value) > max_length:
        raise ServiceError(
            f"{name} is longer than {max_length} characters; send it in parts.", code="too_large", status=413
        )
    return value
