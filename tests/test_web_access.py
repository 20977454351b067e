"""Who may do what: anonymous and viewers read only; every write needs a curator (or admin)
and a CSRF token; every value is escaped."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from glossary.models import ApiToken, Candidate, Concept, Evidence, Revision, User
from glossary.services.accounts import create_token

from .test_web_support import (
    PASSWORD,
    add_candidate,
    add_concept,
    add_source,
    add_user,
    csrf_token_from,
    login,
)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Posts anyone may make: logging in and out, and the abbreviation check (it reads a draft, stores nothing).
OPEN_POSTS = {"auth.login", "auth.logout", "check.page"}
# Posts every logged-in user may make about their own account (tested in test_web_sessions.py).
OWN_ACCOUNT_POSTS = {"auth.change_password"}
CURATOR_PAGES = ["/review", "/documents", "/concepts/new", "/concepts/1/edit", "/concepts/1/delete", "/review/1/edit"]


def write_routes(app) -> list[tuple[str, str, str]]:
    """Every page route that accepts a write (the API has its own token tests)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api.", "static")) or rule.endpoint in OPEN_POSTS:
            continue
        for method in sorted(rule.methods - SAFE_METHODS):
            url = rule.rule
            for argument in rule.arguments:
                url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
            routes.append((rule.endpoint, method, url))
    return routes


@pytest.fixture()
def world(db):
    """One of everything a write could touch, all with id 1."""
    add_user(db, "ada", "admin")
    concept = add_concept(db, "焦虑", "anxiety")
    add_candidate(db, "催产素", "oxytocin")
    create_token(db.session, db.session.get(User, 1), "editor plugin")
    db.session.commit()
    return concept


def state(db) -> tuple:
    db.session.expire_all()
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Concept, Candidate, Revision, User, ApiToken, Evidence)
    )
    candidate = db.session.get(Candidate, 1)
    return counts, candidate.status, db.session.get(Concept, 1).version, db.session.get(User, 1).role


def test_the_write_routes_are_enumerated(app):
    endpoints = {endpoint for endpoint, _, _ in write_routes(app)}
    assert {
        "review.approve",
        "review.reject",
        "review.merge",
        "review.bulk",
        "review.edit",
        "concepts.edit",
        "concepts.new",
        "concepts.delete",
        "concepts.revert",
        "documents.upload",
        "admin.create_user",
        "admin.change_role",
        "admin.deactivate",
        "admin.activate",
        "admin.create_token",
        "admin.revoke_token",
        "admin.reset_user_password",
        "admin.sign_out",
        "auth.change_password",
    } <= endpoints


# A form that every write would accept from someone allowed to make it.
PLAUSIBLE_FORM = {
    "concept_id": "1",
    "ids": ["1"],
    "role": "admin",
    "confirm": "y",
    "version": "1",
    "name": "mallory",
    "password": PASSWORD,
    "user_id": "1",
    "label": "x",
}


def post_to_every_write(app, db, client, only: str = "") -> dict[str, object]:
    """Try every write route; the database must not change. Returns each endpoint's answer."""
    before = state(db)
    answers = {}
    for endpoint, method, url in write_routes(app):
        if endpoint.startswith(only):
            answers[endpoint] = client.open(url, method=method, data=PLAUSIBLE_FORM)
    assert state(db) == before
    return answers


def test_anonymous_is_sent_to_log_in_on_every_write(app, db, client, world):
    for endpoint, response in post_to_every_write(app, db, client).items():
        assert response.status_code == 302 and "/login" in response.location, endpoint


def test_viewer_is_refused_every_write(app, db, client, world):
    add_user(db, "vic", "viewer")
    login(client, "vic")
    for endpoint, response in post_to_every_write(app, db, client).items():
        if endpoint not in OWN_ACCOUNT_POSTS:
            assert response.status_code == 403, endpoint


def test_curator_is_refused_the_admin_writes(app, db, client, world):
    add_user(db, "cora", "curator")
    login(client, "cora")
    for endpoint, response in post_to_every_write(app, db, client, only="admin.").items():
        assert response.status_code == 403, endpoint
    assert client.get("/admin/users").status_code == 403


@pytest.mark.parametrize("url", CURATOR_PAGES)
def test_curator_pages_are_closed_to_anonymous_and_viewers(db, client, world, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    add_user(db, "vic", "viewer")
    login(client, "vic")
    assert client.get(url).status_code == 403


def test_anonymous_can_read_a_concept(db, client, world):
    assert client.get("/concepts/1").status_code == 200


def test_a_form_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from glossary.extensions import db

        add_user(db, "cora", "curator")
        add_candidate(db, "催产素", "oxytocin")
    token = csrf_token_from(client.get("/login").data)
    assert client.post("/login", data={"name": "cora", "password": PASSWORD}).status_code == 400
    assert client.post("/login", data={"name": "cora", "password": PASSWORD, "csrf_token": token}).status_code == 302
    refused = client.post("/review/1/approve")
    assert refused.status_code == 400 and "Form refused" in refused.get_data(as_text=True)
    assert client.post("/review/1/approve", data={"csrf_token": "forged"}).status_code == 400
    with app.app_context():
        assert db.session.get(Candidate, 1).status == "new"
    page_token = csrf_token_from(client.get("/review").data)
    assert client.post("/review/1/approve", data={"csrf_token": page_token}).status_code == 302
    with app.app_context():
        assert db.session.get(Candidate, 1).status == "approved"


SCRIPT = "<script>alert(1)</script>"


def test_a_script_in_a_term_is_shown_escaped_everywhere(db, client):
    add_user(db, "ada", "admin")
    add_user(db, f"eve{SCRIPT}", "viewer")
    source = add_source(db, f"evil{SCRIPT}.txt", f"标题{SCRIPT}")
    concept = add_concept(db, f"催产素{SCRIPT}", SCRIPT, "<b>OXT</b>", domain=SCRIPT, definition=SCRIPT)
    db.session.add(
        Evidence(
            source=source,
            concept_id=concept.id,
            term=SCRIPT,
            sentence=f"句子中的{SCRIPT}和催产素{SCRIPT}。",
            start=0,
            end=5,
        )
    )
    candidate = add_candidate(
        db,
        f"多巴胺{SCRIPT}",
        SCRIPT,
        "<i>DA</i>",
        source=source,
        sentence=f"多巴胺{SCRIPT}（{SCRIPT}）",
        alternatives=[{"zh": SCRIPT}, SCRIPT],
    )
    db.session.commit()
    login(client, "ada")
    client.post(
        f"/concepts/{concept.id}/edit",
        data={
            "version": "1",
            "status": "approved",
            "domain": "x",
            "terms-0-text": f"催产素{SCRIPT}",
            "terms-0-lang": "zh",
            "terms-0-kind": "full",
            "terms-0-status": "preferred",
            "terms-1-text": SCRIPT,
            "terms-1-lang": "en",
            "terms-1-kind": "full",
            "terms-1-status": "admitted",
        },
    )
    pages = [
        f"/concepts/{concept.id}",
        f"/concepts/{concept.id}/edit",
        f"/concepts/{concept.id}/delete",
        "/review",
        f"/review/{candidate.id}/edit",
        "/documents",
        "/admin/users",
        "/?q=催产素",
    ]
    for url in pages:
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "<script>alert" not in html and "<b>OXT" not in html and "<i>DA" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in client.get("/review").get_data(as_text=True)


def test_one_transaction_commits_or_rolls_back_everything_and_says_why(app, db):
    from flask import get_flashed_messages

    from glossary.errors import ValidationFailed
    from glossary.services.users import create_account
    from glossary.web.access import one_transaction

    with app.test_request_context("/"):
        with one_transaction() as refused:
            create_account(db.session, "lin", PASSWORD, "curator", None)
            raise ValidationFailed("Something later in the request was refused.")
        assert refused.refused is not None and refused.status == 422
        assert get_flashed_messages(with_categories=True) == [("error", "Something later in the request was refused.")]
        assert db.session.scalar(select(func.count()).select_from(User)) == 0  # the first write went too
        assert db.session.scalar(select(func.count()).select_from(Revision)) == 0
        with one_transaction() as done:
            create_account(db.session, "mei", PASSWORD, "curator", None)
        assert done.refused is None
    db.session.rollback()  # nothing pending: what the second block wrote was committed
    assert db.session.scalar(select(User.name)) == "mei"
    with app.test_request_context("/"), pytest.raises(ZeroDivisionError):
        with one_transaction():
            create_account(db.session, "ada", PASSWORD, "curator", None)
            raise ZeroDivisionError  # not a refusal: rolled back and raised
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
