"""Security basics: headers, CSP, log-in throttling, cookies, upload limit."""

import sqlite3
from typing import ClassVar

import pytest
from limits.storage import MemoryStorage
from sqlalchemy import select

from glossary.extensions import limiter
from glossary.models import User
from glossary.services.accounts import create_user
from glossary.services.concepts import create_concept


def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_attempts_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/login", data={"name": "x", "password": "wrong-password"}).status_code for _ in range(12)]
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429


class SharedStore(MemoryStorage):
    """Stands in for a redis or memcached server: every worker naming its URI reaches the same counts.

    Registered with ``limits`` under its own scheme, so choosing it is a matter of
    configuration only, exactly as ``redis://`` would be.
    """

    STORAGE_SCHEME: ClassVar[list[str]] = ["glossary-test-shared"]
    server: ClassVar["SharedStore | None"] = None

    def __new__(cls, *args, **kwargs):
        if cls.server is None:
            cls.server = super().__new__(cls)
        return cls.server

    def __init__(self, uri: str | None = None, **options) -> None:
        if not hasattr(self, "storage"):  # the "server" keeps its counts when a worker connects again
            super().__init__(uri, **options)
            self.uri = uri


def failed_logins(app, count: int) -> list[int]:
    client = app.test_client()
    return [client.post("/login", data={"name": "x", "password": "wrong-password"}).status_code for _ in range(count)]


def test_rate_limit_counts_are_per_worker_in_memory_by_default(make_app, monkeypatch):
    monkeypatch.delenv("GLOSSARY_RATELIMIT_STORAGE_URI", raising=False)
    first_worker = make_app(RATELIMIT_ENABLED=True)
    assert first_worker.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert type(limiter.storage) is MemoryStorage
    codes = failed_logins(first_worker, 6)
    second_worker = make_app(RATELIMIT_ENABLED=True)  # its own memory
    codes += failed_logins(second_worker, 6)
    assert codes == [401] * 12


def test_the_configured_rate_limit_store_is_the_one_in_use(make_app, monkeypatch):
    SharedStore.server = None
    monkeypatch.setenv("GLOSSARY_RATELIMIT_STORAGE_URI", "glossary-test-shared://127.0.0.1:6379")
    first_worker = make_app(RATELIMIT_ENABLED=True)
    assert first_worker.config["RATELIMIT_STORAGE_URI"] == "glossary-test-shared://127.0.0.1:6379"
    assert isinstance(limiter.storage, SharedStore) and limiter.storage.uri == "glossary-test-shared://127.0.0.1:6379"
    codes = failed_logins(first_worker, 6)
    second_worker = make_app(RATELIMIT_ENABLED=True)  # another worker, the same store
    codes += failed_logins(second_worker, 6)
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_session_cookie_is_httponly_and_samesite(app, db):
    create_user(db.session, "mei", "long-password", "curator")
    db.session.commit()
    response = app.test_client().post("/login", data={"name": "mei", "password": "long-password"})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_does_not_log_in(client, db):
    create_user(db.session, "mei", "long-password", "curator")
    db.session.commit()
    response = client.post("/login", data={"name": "mei", "password": "not-the-password"})
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)


def test_login_does_not_redirect_off_site(client, db):
    create_user(db.session, "mei", "long-password", "curator")
    db.session.commit()
    response = client.post("/login?next=//evil.example/x", data={"name": "mei", "password": "long-password"})
    assert response.headers["Location"] == "/"


def test_passwords_are_stored_with_a_slow_hash(db):
    create_user(db.session, "li", "long-password", "viewer")
    user = db.session.scalar(select(User))
    assert user.password_hash.split(":")[0] in {"scrypt", "pbkdf2"} and "long-password" not in user.password_hash


def test_oversized_request_is_413_with_a_message(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/login", data={"name": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_backup_makes_a_consistent_copy(runner, db, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the backup command copies SQLite databases")
    create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None)
    db.session.commit()
    target = tmp_path / "backups" / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT text FROM term ORDER BY id").fetchall() == [("催产素",), ("oxytocin",)]
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
