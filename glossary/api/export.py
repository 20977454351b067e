"""Export for CAT tools, spreadsheets and backups: ``GET /export?format=…`` answers a file.

``zh_tags=region`` tags Chinese zh-CN/zh-TW instead of zh-Hans/zh-Hant (TBX);
``doctype=true`` gives TBX 2008 its relative DOCTYPE.
"""

from __future__ import annotations

from flask import current_app, request

from ..errors import ServiceError
from ..extensions import db
from ..formats import DIRECTIONS, FORMATS, ZH_TAGS
from ..models import CONCEPT_STATUSES
from ..services.interchange import export_file
from . import bp


def _choice(name: str, allowed: tuple[str, ...] | list[str], default: str | None) -> str | None:
    value = request.args.get(name, default)
    if value is not None and value not in allowed:
        raise ServiceError(f"{name} must be one of {', '.join(allowed)}.", code="bad_parameter")
    return value


@bp.get("/export")
def export_glossary_file():
    fmt = _choice("format", list(FORMATS), None)
    if fmt is None:
        raise ServiceError(f"Say which format: format={'|'.join(FORMATS)}.", code="bad_parameter")
    direction = _choice("direction", list(DIRECTIONS), "zh-en" if fmt == "tsv" else None)
    status = _choice("status", (*CONCEPT_STATUSES, "all"), "approved")
    zh_tags = _choice("zh_tags", list(ZH_TAGS), "script")
    doctype = _choice("doctype", ("true", "false"), "false") == "true"
    download = export_file(
        db.session,
        fmt,
        direction if fmt == "tsv" else None,
        None if status == "all" else status,
        zh_tags=zh_tags,
        doctype=doctype,
    )
    response = current_app.response_class(download.data, content_type=download.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=download.filename)
    response.headers["Cache-Control"] = "no-cache"
    return response
