"""API tokens: 401 answers name the Bearer scheme, tokens may expire (CLI and admin page),
and an expired one is refused with a message that says so."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from glossary.errors import ValidationFailed
from glossary.models import ApiToken, Revision, utcnow
from glossary.services.accounts import parse_lifetime

from .test_api_concepts import token_for
from .test_api_openapi import SPEC, assert_conforms
from .test_web_support import add_user, logged_in


def secured_operations() -> list[tuple[str, str]]:
    """Every documented operation that needs a token, as (method, path)."""
    return [
        (method, path)
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        if method != "parameters" and operation.get("security")
    ]


def test_every_401_names_the_bearer_scheme(client):
    operations = secured_operations()
    assert ("get", "/candidates") in operations and ("post", "/concepts") in operations
    for method, path in operations:
        url = "/api/v1" + re.sub(r"\{\w+\}", "1", path)
        for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer gl_unknown"}):
            response = client.open(url, method=method.upper(), headers=headers)
            assert response.status_code == 401, (method, path, headers)
            challenge = response.headers["WWW-Authenticate"]
            assert challenge.startswith('Bearer realm="glossary"'), (method, path)
            assert ('error="invalid_token"' in challenge) == ("Bearer" in headers.get("Authorization", ""))
            assert_conforms(response, path, method)


def test_other_answers_carry_no_challenge(client, db):
    assert "WWW-Authenticate" not in client.get("/api/v1/search?q=x").headers
    forbidden = client.post("/api/v1/concepts", headers=token_for(db, "viewer"), json={"terms": []})
    assert forbidden.status_code == 403 and "WWW-Authenticate" not in forbidden.headers


@pytest.mark.parametrize(
    ("text", "lifetime"),
    [
        ("12h", timedelta(hours=12)),
        ("30d", timedelta(days=30)),
        (" 8W ", timedelta(weeks=8)),
        ("", None),
        (None, None),
    ],
)
def test_lifetimes_are_read_alike_everywhere(text, lifetime):
    assert parse_lifetime(text) == lifetime


@pytest.mark.parametrize("text", ["30", "d", "1.5d", "30 days", "30y", "0h", "30m", "999999w", "-1d"])
def test_bad_lifetimes_are_explained(text):
    with pytest.raises(ValidationFailed):
        parse_lifetime(text)


def test_create_token_expires_and_an_expired_token_is_refused_clearly(runner, client, db):
    add_user(db, "cora", "curator")
    result = runner.invoke(args=["create-token", "cora", "--expires", "30d"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip()
    assert plain.startswith("gl_") and "expires on" in result.stderr
    db.session.expire_all()
    token = db.session.scalar(select(ApiToken))
    issued = token.expires_at
    assert timedelta(days=29, hours=23) < issued - utcnow() <= timedelta(days=30)
    bearer = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/candidates", headers=bearer).status_code == 200

    token.expires_at = utcnow() - timedelta(seconds=1)  # thirty days later
    db.session.commit()
    refused = client.get("/api/v1/candidates", headers=bearer)
    assert refused.status_code == 401
    assert_conforms(refused, "/candidates")
    error = refused.get_json()["error"]
    assert error["code"] == "token_expired" and "expired on" in error["message"]
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert client.post("/api/v1/concepts", headers=bearer, json={"terms": []}).status_code == 401
    # Audited like the admin page's tokens, by "system".
    revision = db.session.scalar(select(Revision).where(Revision.action == "token.create"))
    assert revision.user_name == "system" and revision.after["user"] == "cora"
    assert revision.after["expires"] == issued.isoformat(timespec="minutes")


def test_create_token_refuses_a_bad_lifetime_and_a_deactivated_user(runner, db):
    add_user(db, "cora", "curator")
    bad = runner.invoke(args=["create-token", "cora", "--expires", "soon"])
    assert bad.exit_code != 0 and "12h, 30d, 8w" in bad.output
    assert db.session.scalar(select(ApiToken.id)) is None
    add_user(db, "lin", "curator").active = False
    db.session.commit()
    refused = runner.invoke(args=["create-token", "lin"])
    assert refused.exit_code != 0 and "deactivated" in refused.output
    assert db.session.scalar(select(ApiToken.id)) is None


def test_without_expires_a_token_lives_until_revoked(runner, client, db):
    add_user(db, "cora", "curator")
    plain = runner.invoke(args=["create-token", "cora"]).stdout.strip()
    assert db.session.scalar(select(ApiToken)).expires_at is None
    assert client.get("/api/v1/candidates", headers={"Authorization": f"Bearer {plain}"}).status_code == 200


def test_admin_page_issues_an_expiring_token(db, client):
    admin = logged_in(db, client, "admin")
    lin = add_user(db, "lin", "curator")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'name="expires"' in page and "in 30 days" in page
    response = admin.post("/admin/tokens", data={"user_id": str(lin.id), "label": "plugin", "expires": "7d"})
    assert response.status_code == 200
    db.session.expire_all()
    token = db.session.scalar(select(ApiToken))
    assert timedelta(days=6, hours=23) < token.expires_at - utcnow() <= timedelta(days=7)
    assert token.expires_at.strftime("%Y-%m-%d %H:%M") in admin.get("/admin/users").get_data(as_text=True)
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "(expired)" in admin.get("/admin/users").get_data(as_text=True)
    bad = admin.post("/admin/tokens", data={"user_id": str(lin.id), "label": "plugin", "expires": "5y"})
    assert bad.status_code == 422
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.id != token.id)) is None
