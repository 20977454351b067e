"""A live server on a temporary database and Debian's Chromium driven by Playwright.

No browser is downloaded: the tests use ``/usr/bin/chromium`` and skip, saying
why, when it is not installed (``.ci/run`` installs it with CI=true).
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from glossary import create_app
from glossary.extensions import db
from glossary.services.accounts import create_user

from ..conftest import PG_URL, _database_url, _reset_postgres

CHROMIUM = Path(os.environ.get("GLOSSARY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CURATOR = ("cora", "curator-password-1")
ADMIN = ("ada", "admin-password-1")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app with CSRF on, served over HTTP on a free loopback port in a thread."""
    folder = tmp_path_factory.mktemp("live")
    saved = os.environ.get("GLOSSARY_INSTANCE_PATH")
    os.environ["GLOSSARY_INSTANCE_PATH"] = str(folder / "instance")
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": _database_url(folder),  # SQLite here, PostgreSQL in CI's second run
                "SECRET_KEY": secrets.token_hex(16),
                "WTF_CSRF_ENABLED": True,
                "RATELIMIT_ENABLED": False,
            }
        )
    finally:
        if saved is None:
            os.environ.pop("GLOSSARY_INSTANCE_PATH", None)
        else:
            os.environ["GLOSSARY_INSTANCE_PATH"] = saved
    with app.app_context():
        if PG_URL:
            _reset_postgres()
        db.create_all()
        create_user(db.session, CURATOR[0], CURATOR[1], "curator")
        create_user(db.session, ADMIN[0], ADMIN[1], "admin")
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.session.remove()
        if PG_URL:
            _reset_postgres()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium fonts-noto-cjk) "
            "to run the browser tests"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (requirements-dev.txt) is not installed")
    with sync_api.sync_playwright() as playwright:
        # launch() starts from a new temporary profile each time: a fresh profile every run.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def new_page(browser):
    """Pages in a fresh context (no cookies); ``javascript=False`` for the plain-form path."""
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")
