"""The admins' page for the list of domains: add, rename, merge (curators choose from the list)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from ..errors import ValidationFailed
from ..extensions import db
from ..services.domains import add_domain, list_domains, merge_domains, rename_domain
from .access import commit_and_redirect, role_required

bp = Blueprint("domains", __name__, url_prefix="/admin/domains")


@bp.get("")
@role_required("admin")
def index():
    return render_template("admin/domains.html", domains=list_domains(db.session))


@bp.post("")
@role_required("admin")
def add():
    def run() -> str:
        return f"Added the domain “{add_domain(db.session, request.form.get('name', '')).name}”."

    return commit_and_redirect(run, url_for(".index"))


@bp.post("/<int:domain_id>/rename")
@role_required("admin")
def rename(domain_id: int):
    def run() -> str:
        moved = rename_domain(db.session, domain_id, request.form.get("name", ""), current_user)
        return f"Renamed; {moved} concept{'' if moved == 1 else 's'} refiled."

    return commit_and_redirect(run, url_for(".index"))


@bp.post("/<int:domain_id>/merge")
@role_required("admin")
def merge(domain_id: int):
    target = request.form.get("target", "")

    def run() -> str:
        if not target.isdigit():
            raise ValidationFailed("Choose the domain to merge into.", details={"field": "target"})
        moved = merge_domains(db.session, domain_id, int(target), current_user)
        return f"Merged; {moved} concept{'' if moved == 1 else 's'} refiled."

    return commit_and_redirect(run, url_for(".index"))
