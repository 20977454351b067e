"""HTML pages, one blueprint per feature."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .templating import register_template_helpers

# (endpoint, label, role needed or None): the header shows the ones that exist and fit the user.
NAV_LINKS: list[tuple[str, str, str | None]] = [
    ("review.queue", "Review", "curator"),
    ("concepts.new", "New concept", "curator"),
    ("documents.index", "Documents", "curator"),
    ("check.page", "Abbreviation check", None),
    ("interchange.export_page", "Export", None),
    ("interchange.import_page", "Import", "admin"),
    ("admin.users", "Admin", "admin"),
]


def register_blueprints(app: Flask) -> None:
    from . import admin, auth, browse, check, concepts, documents, domains, interchange, main, review

    for module in (main, auth, browse, concepts, review, documents, admin, domains, check, interchange):
        app.register_blueprint(module.bp)
    register_template_helpers(app)

    @app.context_processor
    def navigation():
        def nav_links() -> list[tuple[str, str]]:
            links = []
            for endpoint, label, role in NAV_LINKS:
                if endpoint not in app.view_functions:
                    continue
                if role and not (current_user.is_authenticated and current_user.can(role)):
                    continue
                links.append((endpoint, label))
            return links

        return {"nav_links": nav_links}
