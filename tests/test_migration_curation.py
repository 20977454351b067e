"""Migration e15b3c8d1f40 (curation pages) keeps existing data: used domains become list entries."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from glossary.extensions import db


def test_existing_domains_become_list_entries_and_terms_keep_their_conversion(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade(revision="d13a7f0c2e58")
        with db.engine.begin() as conn:
            for concept_id, domain in (
                (1, "microbiology"),
                (2, " microbiology "),
                (3, "gut microbiology"),
                (4, None),
                (5, "  "),
            ):
                conn.execute(
                    text(
                        "INSERT INTO concept (id, domain, status, version, created_at, updated_at) "
                        "VALUES (:id, :domain, 'approved', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": concept_id, "domain": domain},
                )
            conn.execute(
                text(
                    "INSERT INTO term (concept_id, lang, text, key, kind, status, zh_hans, zh_hant, "
                    "count, created_at) VALUES (1, 'zh', '脂多糖', '脂多糖', 'full', 'preferred', "
                    "'脂多糖', '脂多醣', 0, CURRENT_TIMESTAMP)"
                )
            )
        upgrade(revision="e15b3c8d1f40")
        with db.engine.connect() as conn:
            names = sorted(conn.scalars(text("SELECT name FROM domain")))
            term = conn.execute(text("SELECT text, zh_hant FROM term")).one()
        assert names == ["gut microbiology", "microbiology"]
        assert tuple(term) == ("脂多糖", "脂多醣")
        downgrade(revision="d13a7f0c2e58")
        assert "domain" not in inspect(db.engine).get_table_names()
