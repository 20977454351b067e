"""Fixtures: an app on a fresh database for every test.

SQLite in ``tmp_path`` by default; with ``TEST_DATABASE_URL`` set (CI does),
the same tests run on PostgreSQL, each on a freshly created schema.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from glossary import create_app
from glossary.extensions import db as _db

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Generated-case counters that the fuzz tests fill and the run's summary prints.
FUZZ_COUNTS: Counter[str] = Counter()
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def _database_url(tmp_path: Path) -> str:
    if PG_URL:
        return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _reset_postgres() -> None:
    """Drop everything in the public schema: tables, and Alembic's version table."""
    with _db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture()
def make_app(tmp_path, monkeypatch):
    """Build an app on a fresh, empty database; ``schema=False`` leaves it without tables."""
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def build(schema: bool = True, **overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
        config.update(overrides)
        app = create_app(config)
        with app.app_context():
            if PG_URL:
                _reset_postgres()
            if schema:
                _db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            _db.session.remove()
            if PG_URL:
                _reset_postgres()
            _db.engine.dispose()


@pytest.fixture()
def app(make_app):
    return make_app()


@pytest.fixture()
def db(app):
    """The database handle inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared/corpus not found: this test needs the shared folder beside the checkout")
    return SHARED


def pytest_terminal_summary(terminalreporter):
    for name, count in sorted(FUZZ_COUNTS.items()):
        terminalreporter.write_line(f"{name}: {count} generated cases ran")
