"""The Alembic history creates exactly the models' schema, idempotently, and downgrades."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from glossary.extensions import db


def _diff(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_models(make_app):
    app = make_app(schema=False)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert _diff(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"concept", "term", "source", "evidence", "candidate", "user_account",
                "api_token", "revision", "alembic_version"} <= tables


def test_upgrade_twice_changes_nothing(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade()
        before = {t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()}
        upgrade()
        after = {t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()}
        assert repr(before) == repr(after)


def test_downgrade_to_base_removes_everything(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
