"""Browsing the glossary: every concept in pinyin or English order, by domain and initial, with counts."""

from __future__ import annotations

from math import ceil

from flask import Blueprint, render_template, request

from ..extensions import db
from ..services.concept_lists import BROWSE_ORDERS, NO_DOMAIN, browse_concepts

bp = Blueprint("browse", __name__)

PER_PAGE = 50


@bp.get("/browse")
def index():
    """``/browse?order=pinyin|en&domain=…&letter=c&page=2``."""
    order = request.args.get("order", "pinyin")
    order = order if order in BROWSE_ORDERS else "pinyin"
    domain = request.args.get("domain", "").strip()[:100] or None
    letter = request.args.get("letter", "").strip()[:1]
    page = max(request.args.get("page", 1, type=int), 1)
    found = browse_concepts(db.session, order, domain, letter, PER_PAGE, (page - 1) * PER_PAGE)
    pages = max(ceil(found.total / PER_PAGE), 1)
    here = {"order": order, "domain": domain, "letter": letter or None}
    return render_template(
        "browse/index.html",
        found=found,
        order=order,
        domain=domain,
        letter=letter,
        page=page,
        pages=pages,
        here=here,
        no_domain=NO_DOMAIN,
    )
