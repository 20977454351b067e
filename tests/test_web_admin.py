"""Admin pages: users (create, role, deactivate) and API tokens (shown once, revoked)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from glossary.models import ApiToken, Revision, User
from glossary.services.accounts import hash_token, user_for_token

from .test_web_support import PASSWORD, add_user, logged_in


@pytest.fixture()
def admin(db, client):
    return logged_in(db, client, "admin")


def test_admin_creates_a_user_who_can_log_in(db, admin, app):
    response = admin.post("/admin/users", data={"name": "lin", "password": PASSWORD, "role": "curator"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.name == "lin"))
    assert user.role == "curator" and user.password_hash != PASSWORD
    assert db.session.scalar(select(Revision.action).where(Revision.action == "user.create"))
    other = app.test_client()
    assert other.post("/login", data={"name": "lin", "password": PASSWORD}).status_code == 302


def test_a_bad_new_user_is_explained(db, admin):
    short = admin.post("/admin/users", data={"name": "lin", "password": "short", "role": "curator"})
    assert short.status_code == 422 and "8" in short.get_data(as_text=True)
    twice = admin.post("/admin/users", data={"name": "ada", "password": PASSWORD, "role": "curator"})
    assert twice.status_code == 409 and "already exists" in twice.get_data(as_text=True)


def test_role_change_and_deactivation(db, admin, app):
    lin = add_user(db, "lin", "viewer")
    assert admin.post(f"/admin/users/{lin.id}/role", data={"role": "curator"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, lin.id).role == "curator"
    assert admin.post(f"/admin/users/{lin.id}/deactivate").status_code == 302
    other = app.test_client()
    assert other.post("/login", data={"name": "lin", "password": PASSWORD}).status_code == 401
    admin.post(f"/admin/users/{lin.id}/activate")
    assert other.post("/login", data={"name": "lin", "password": PASSWORD}).status_code == 302
    actions = set(db.session.scalars(select(Revision.action)))
    assert {"user.role", "user.deactivate", "user.activate"} <= actions


def test_the_last_admin_cannot_lock_everyone_out(db, admin):
    me = db.session.scalar(select(User).where(User.name == "ada"))
    page = admin.post(f"/admin/users/{me.id}/deactivate", follow_redirects=True).get_data(as_text=True)
    assert "cannot deactivate yourself" in page
    page = admin.post(f"/admin/users/{me.id}/role", data={"role": "viewer"}, follow_redirects=True)
    assert "last active admin" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).role == "admin"


def test_token_is_shown_once_and_can_be_revoked(db, admin):
    lin = add_user(db, "lin", "curator")
    response = admin.post("/admin/tokens", data={"user_id": str(lin.id), "label": "editor plugin"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = re.search(r'id="new-token">(gl_[^<]+)<', html).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hash_token(plain) and plain not in token.token_hash
    assert plain not in admin.get("/admin/users").get_data(as_text=True)  # never shown again
    assert user_for_token(db.session, plain).name == "lin"
    assert admin.post(f"/admin/tokens/{token.id}/revoke").status_code == 302
    db.session.expire_all()
    assert user_for_token(db.session, plain) is None
    assert "revoked" in admin.get("/admin/users").get_data(as_text=True)
