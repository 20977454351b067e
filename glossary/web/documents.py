"""Documents: upload .txt articles to mine, and the list of sources with their candidates."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..extensions import db
from ..services.documents import list_sources
from .forms import UploadForm, role_required

bp = Blueprint("documents", __name__)


@bp.get("/documents")
@role_required("curator")
def index():
    return render_template("documents/index.html", form=UploadForm(), sources=list_sources(db.session))
