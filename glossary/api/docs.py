"""The API's own description: the OpenAPI 3.1 document, a page for people, a ping.

The document is a data file (``openapi.json`` beside this module), read once;
the tests validate real answers against it, so it stays true.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import render_template
from markupsafe import Markup, escape

from . import bp
from .responses import cached_json

OPENAPI_PATH = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


_CODE_RE = re.compile(r"`([^`]+)`")


@bp.app_template_filter("inline_code")
def inline_code(text: str) -> Markup:
    """The document's descriptions mark code with backquotes: escape, then wrap those in <code>."""
    return Markup(_CODE_RE.sub(r"<code>\1</code>", str(escape(text or ""))))


@bp.get("/openapi.json")
def openapi_json():
    return cached_json(openapi_document(), max_age=3600)


@bp.get("/docs")
def docs():
    """Server-rendered reference: every path, parameter, body and answer of the document."""
    return render_template("api/docs.html", spec=openapi_document())


@bp.get("/ping")
def ping():
    """The cheapest JSON answer: the baseline of bench/http.py."""
    return {"status": "ok"}
