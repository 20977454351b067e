"""Sessions end when they should: a session or remember-me cookie copied before log-out,
a password change or reset, deactivation or "sign out everywhere" is refused after it,
over real HTTP through the test client; reactivation revives nothing; the CSRF token
changes at log-in; the remember-me cookie's lifetime and Secure flag follow the config.

These tests touch the database only in short app contexts of their own (``in_app``),
never through the ``db`` fixture: inside its long-lived context every request would
share one ``g``, and Flask-Login's cached user would carry over from request to
request, which no production request ever sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from glossary.extensions import db as _db
from glossary.models import Concept, Revision, User
from glossary.services.accounts import create_token

from .test_web_support import PASSWORD, add_candidate, add_user, csrf_token_from, login

NEW_PASSWORD = "a brand new passphrase"
NEW_CONCEPT = {
    "version": "",
    "domain": "",
    "status": "approved",
    "terms-0-lang": "zh",
    "terms-0-text": "催产素",
    "terms-0-kind": "full",
    "terms-0-status": "preferred",
    "terms-1-lang": "en",
    "terms-1-text": "oxytocin",
    "terms-1-kind": "full",
    "terms-1-status": "preferred",
}


def log_in_remembered(client, name: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in with "keep me logged in" and return the two cookies a thief would copy."""
    response = client.post("/login", data={"name": name, "password": password, "remember": "y"})
    assert response.status_code == 302, response.data
    return {"session": client.get_cookie("session").value, "remember_token": client.get_cookie("remember_token").value}


def browser_with(app, name: str, value: str):
    """A fresh client holding one copied cookie and nothing else."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def in_app(app, action):
    """Run ``action(db)`` in an app context of its own, as a separate process would."""
    with app.app_context():
        return action(_db)


def new_user(app, name: str, role: str) -> int:
    return in_app(app, lambda db: add_user(db, name, role).id)


def revision(app, action: str) -> tuple[str, dict]:
    found = in_app(app, lambda db: db.session.scalar(select(Revision).where(Revision.action == action)))
    return found.user_name, found.after


def concepts(app) -> int:
    return in_app(app, lambda db: db.session.scalar(select(func.count()).select_from(Concept)))


def assert_cookies_work(app, cookies: dict[str, str]) -> None:
    for name, value in cookies.items():
        assert browser_with(app, name, value).get("/review").status_code == 200, name


def assert_cookies_refused(app, cookies: dict[str, str]) -> None:
    """Each copied cookie, replayed alone, neither reads a curator page nor writes."""
    before = concepts(app)
    for name, value in cookies.items():
        thief = browser_with(app, name, value)
        page = thief.get("/review")
        assert page.status_code == 302 and "/login" in page.location, name
        write = thief.post("/concepts/new", data=NEW_CONCEPT)
        assert write.status_code == 302 and "/login" in write.location, name
    assert concepts(app) == before


def admin_client(app):
    admin = app.test_client()
    new_user(app, "ada", "admin")
    login(admin, "ada")
    return admin


def end_by_logging_out(app, runner, client, user_id):
    assert client.post("/logout").status_code == 302


def end_by_changing_own_password(app, runner, client, user_id):
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    # This browser stays logged in, in the new generation.
    assert client.get("/review").status_code == 200


def end_by_admin_reset(app, runner, client, user_id):
    response = admin_client(app).post(
        f"/admin/users/{user_id}/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302


def end_by_cli_set_password(app, runner, client, user_id):
    result = runner.invoke(args=["set-password", "cora"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def end_by_deactivation(app, runner, client, user_id):
    assert admin_client(app).post(f"/admin/users/{user_id}/deactivate").status_code == 302


def end_by_sign_out_everywhere(app, runner, client, user_id):
    assert admin_client(app).post(f"/admin/users/{user_id}/sign-out").status_code == 302


ENDINGS = [
    end_by_logging_out,
    end_by_changing_own_password,
    end_by_admin_reset,
    end_by_cli_set_password,
    end_by_deactivation,
    end_by_sign_out_everywhere,
]


@pytest.mark.parametrize("end_sessions", ENDINGS, ids=lambda f: f.__name__.removeprefix("end_by_"))
def test_cookies_copied_before_the_end_are_refused_after_it(app, runner, client, end_sessions):
    cora = new_user(app, "cora", "curator")
    cookies = log_in_remembered(client, "cora")
    elsewhere = log_in_remembered(app.test_client(), "cora")  # another browser of hers
    assert_cookies_work(app, cookies)
    assert_cookies_work(app, elsewhere)
    end_sessions(app, runner, client, cora)
    assert_cookies_refused(app, cookies)
    assert_cookies_refused(app, elsewhere)


def test_a_password_change_takes_the_new_password_only(app, client):
    new_user(app, "cora", "curator")
    login(client, "cora")
    assert client.get("/account/password").status_code == 200
    wrong = client.post(
        "/account/password",
        data={"current_password": "not my password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    differ = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"},
    )
    assert differ.status_code == 422 and "differ" in differ.get_data(as_text=True)
    short = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"}
    )
    assert short.status_code == 422
    assert app.test_client().post("/login", data={"name": "cora", "password": PASSWORD}).status_code == 302
    assert (
        client.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ).status_code
        == 302
    )
    assert app.test_client().post("/login", data={"name": "cora", "password": PASSWORD}).status_code == 401
    assert app.test_client().post("/login", data={"name": "cora", "password": NEW_PASSWORD}).status_code == 302
    assert revision(app, "user.password_change") == ("cora", {"user": "cora", "role": "curator", "active": True})


def test_an_admin_resets_a_password_on_the_page(app):
    cora = new_user(app, "cora", "curator")
    admin = admin_client(app)
    page = admin.get(f"/admin/users/{cora}/password")
    assert page.status_code == 200 and "New password for cora" in page.get_data(as_text=True)
    assert "Reset password" in admin.get("/admin/users").get_data(as_text=True)
    assert (
        admin.post(f"/admin/users/{cora}/password", data={"new_password": "short", "confirm": "short"}).status_code
        == 422
    )
    assert (
        admin.post(
            f"/admin/users/{cora}/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert app.test_client().post("/login", data={"name": "cora", "password": NEW_PASSWORD}).status_code == 302
    assert app.test_client().post("/login", data={"name": "cora", "password": PASSWORD}).status_code == 401
    actor, after = revision(app, "user.password_reset")
    assert actor == "ada" and after["user"] == "cora" and PASSWORD not in str(after)
    assert admin.get("/admin/users/999/password").status_code == 404


def test_an_admin_resetting_their_own_password_stays_logged_in(app):
    admin = admin_client(app)
    me = in_app(app, lambda db: db.session.scalar(select(User.id).where(User.name == "ada")))
    assert (
        admin.post(
            f"/admin/users/{me}/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert admin.get("/admin/users").status_code == 200


def test_sign_out_everywhere_is_audited_and_only_for_admins(app, client):
    cora = new_user(app, "cora", "curator")
    login(client, "cora")
    assert client.post(f"/admin/users/{cora}/sign-out").status_code == 403
    assert client.get("/review").status_code == 200  # refused, so nothing ended
    admin_client(app).post(f"/admin/users/{cora}/sign-out")
    assert client.get("/review").status_code == 302
    actor, after = revision(app, "user.sign_out")
    assert actor == "ada" and after["user"] == "cora"


def _token_for(db, user_id: int) -> str:
    plain, _ = create_token(db.session, db.session.get(User, user_id), "editor plugin")
    db.session.commit()
    return plain


def test_reactivation_revives_no_session_and_no_token(app, client):
    cora = new_user(app, "cora", "curator")
    plain = in_app(app, lambda db: _token_for(db, cora))
    bearer = {"Authorization": f"Bearer {plain}"}
    reads = app.test_client()
    assert reads.get("/api/v1/candidates", headers=bearer).status_code == 200
    cookies = log_in_remembered(client, "cora")
    admin = admin_client(app)
    admin.post(f"/admin/users/{cora}/deactivate")
    assert reads.get("/api/v1/candidates", headers=bearer).status_code == 401
    admin.post(f"/admin/users/{cora}/activate")
    assert in_app(app, lambda db: db.session.get(User, cora).active)
    assert_cookies_refused(app, cookies)
    refused = reads.get("/api/v1/candidates", headers=bearer)
    assert refused.status_code == 401 and "revoked" in refused.get_json()["error"]["message"]
    assert revision(app, "token.revoke") == (
        "ada",
        {"token": plain[:10], "label": "editor plugin", "user": "cora", "revoked": True},
    )
    # She can log in again and be given a new token; the old ones stay dead.
    fresh = app.test_client()
    login(fresh, "cora")
    assert fresh.get("/review").status_code == 200


def test_a_cookie_from_before_generations_is_refused(app):
    """A cookie signed before the upgrade names only the id; it must not log anyone in."""
    cora = new_user(app, "cora", "curator")
    old = app.test_client()
    with old.session_transaction() as session:
        session["_user_id"] = str(cora)
        session["_fresh"] = True
    assert old.get("/review").status_code == 302


def test_the_csrf_token_changes_at_log_in(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    new_user(app, "cora", "curator")
    in_app(app, lambda db: add_candidate(db, "催产素", "oxytocin"))
    before = csrf_token_from(client.get("/login").data)
    assert client.post("/login", data={"name": "cora", "password": PASSWORD, "csrf_token": before}).status_code == 302
    stale = client.post("/review/1/approve", data={"csrf_token": before})
    assert stale.status_code == 400 and "Form refused" in stale.get_data(as_text=True)
    after = csrf_token_from(client.get("/review").data)
    assert after != before
    assert client.post("/review/1/approve", data={"csrf_token": after}).status_code == 302
    # Logging out (a form with its token) drops it too: the next visitor of this browser starts afresh.
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302
    assert client.post("/login", data={"name": "cora", "password": PASSWORD, "csrf_token": after}).status_code == 400


def remember_cookie(response) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert len(found) == 1
    return found[0]


def _expiry(cookie: str) -> datetime:
    expires = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.lower().startswith("expires="))
    return parsedate_to_datetime(expires)


def test_remember_cookie_is_secure_with_the_setting_and_lasts_30_days(make_app, monkeypatch):
    monkeypatch.delenv("GLOSSARY_REMEMBER_DAYS", raising=False)
    monkeypatch.delenv("GLOSSARY_SECURE_COOKIES", raising=False)
    app = make_app()
    new_user(app, "cora", "curator")
    response = app.test_client().post("/login", data={"name": "cora", "password": PASSWORD, "remember": "y"})
    cookie = remember_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    lifetime = _expiry(cookie) - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)

    monkeypatch.setenv("GLOSSARY_SECURE_COOKIES", "1")
    monkeypatch.setenv("GLOSSARY_REMEMBER_DAYS", "2")
    secure_app = make_app()  # on the same database file (SQLite) or a fresh schema (PostgreSQL)
    new_user(secure_app, "mei", "curator")
    response = secure_app.test_client().post("/login", data={"name": "mei", "password": PASSWORD, "remember": "y"})
    cookie = remember_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert timedelta(days=1) < _expiry(cookie) - datetime.now(UTC) <= timedelta(days=2)
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in session_cookie


def test_a_remember_me_lifetime_below_a_day_is_refused(make_app, monkeypatch):
    monkeypatch.setenv("GLOSSARY_REMEMBER_DAYS", "0")
    with pytest.raises(RuntimeError, match="GLOSSARY_REMEMBER_DAYS"):
        make_app()


def test_guessing_the_current_password_is_rate_limited(make_app):
    """A borrowed session must not become a way around the log-in limit."""
    app = make_app(RATELIMIT_ENABLED=True)
    new_user(app, "cora", "curator")
    client = app.test_client()
    login(client, "cora")
    codes = [
        client.post(
            "/account/password",
            data={"current_password": f"guess-{n:04}", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [422] * 10 and codes[10] == 429
