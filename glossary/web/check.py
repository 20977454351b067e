"""The writer's abbreviation check page: paste a draft, see the report with highlights."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from flask import Blueprint, render_template, request

from ..extensions import db
from ..search import check_abbreviations

bp = Blueprint("check", __name__)
MAX_DRAFT = 200_000


def highlighted(text: str, issues: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The draft cut at every issue boundary: ``(piece, issues covering it)``, in order."""
    cuts = sorted({0, len(text), *(i["start"] for i in issues), *(i["end"] for i in issues)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = [i for i in issues if i["start"] <= start and end <= i["end"]]
        pieces.append((text[start:end], covering))
    return pieces


@bp.route("/check", methods=["GET", "POST"], endpoint="page")
def check_page():
    text = request.form.get("text", "") if request.method == "POST" else ""
    too_long = len(text) > MAX_DRAFT
    issues = check_abbreviations(db.session, text) if text.strip() and not too_long else None
    for number, issue in enumerate(issues or [], start=1):
        issue["number"] = number
    return render_template("check/index.html", text=text, issues=issues, too_long=too_long,
                           pieces=highlighted(text, issues or []), limit=MAX_DRAFT)
