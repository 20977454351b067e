"""The writer's abbreviation check page: paste a draft, see the report by severity and the draft marked.

The page and ``POST /api/v1/check`` run the same :func:`~glossary.search.check_draft`,
so offsets agree. A form sends a textarea's line breaks as CR LF while the
textarea (and a JSON client) hold LF, so the page reads them back as LF first:
otherwise every offset would drift by one per line break.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from flask import Blueprint, render_template, request

from ..errors import ServiceError
from ..extensions import db
from ..search import check_draft
from ..search.abbreviation_check import SEVERITIES

bp = Blueprint("check", __name__)
MAX_DRAFT = 200_000
GROUP_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Notes"}


def anchor(start: int, end: int) -> str:
    """The id of a marked place in the draft: items and related places link to it."""
    return f"at-{start}-{end}"


def marked_places(issues: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    """Every span to mark (issue places and the places they refer to), without overlaps, with its items."""
    spans: dict[tuple[int, int], dict[str, Any]] = {}
    wanted = [((i["start"], i["end"]), i) for i in issues]
    wanted += [((r["start"], r["end"]), None) for i in issues for r in i["related"] if r["type"] == "place"]
    kept_end = -1
    for span, issue in sorted(wanted, key=lambda w: w[0]):
        if span not in spans and span[0] < kept_end:
            continue  # overlaps a place already marked; its item links there instead
        entry = spans.setdefault(span, {"id": anchor(*span), "issues": []})
        kept_end = max(kept_end, span[1])
        if issue is not None:
            entry["issues"].append(issue)
    return spans


def pieces(text: str, spans: dict[tuple[int, int], dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """The draft cut at the marked places: ``(piece, place or None)``, in order."""
    cuts = sorted({0, len(text), *(s for span in spans for s in span)})
    return [(text[start:end], spans.get((start, end))) for start, end in pairwise(cuts)]


def _target(spans: dict[tuple[int, int], dict[str, Any]], start: int, end: int) -> str:
    """The anchor for a place: its own mark, or the mark that contains or overlaps it."""
    if (start, end) in spans:
        return spans[(start, end)]["id"]
    overlapping = next(span for span in spans if span[0] < end and start < span[1])
    return spans[overlapping]["id"]


@bp.route("/check", methods=["GET", "POST"], endpoint="page")
def check_page():
    text = request.form.get("text", "").replace("\r\n", "\n") if request.method == "POST" else ""
    report, error, status = None, None, 200
    if request.method == "POST":
        try:
            if len(text) > MAX_DRAFT:
                raise ServiceError(
                    f"The draft is longer than {MAX_DRAFT} characters; check it in parts.", code="too_large", status=413
                )
            report = check_draft(db.session, text)
        except ServiceError as exc:
            error, status = exc.message, exc.status
    spans = marked_places(report["results"]) if report else {}
    for number, issue in enumerate(report["results"] if report else [], start=1):
        issue["number"] = number
        issue["anchor"] = _target(spans, issue["start"], issue["end"])
        for related in issue["related"]:
            if related["type"] == "place":
                related["anchor"] = _target(spans, related["start"], related["end"])
    groups = (
        [
            (severity, GROUP_TITLES[severity], [i for i in report["results"] if i["severity"] == severity])
            for severity in SEVERITIES
        ]
        if report
        else []
    )
    return render_template(
        "check/index.html",
        text=text,
        report=report,
        groups=groups,
        error=error,
        pieces=pieces(text, spans) if report else [],
        limit=MAX_DRAFT,
    ), status
