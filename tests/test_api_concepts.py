"""Concepts through the API: public reads, curator writes with tokens, optimistic locking, revisions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from glossary.models import Concept, Revision
from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

from .test_api_openapi import assert_conforms

NEW_CONCEPT = {
    "domain": "neuroendocrinology",
    "definition": "A hormone.",
    "terms": [
        {"lang": "zh", "text": "血管升压素"},
        {"lang": "en", "text": "vasopressin"},
        {"lang": "en", "text": "AVP", "kind": "abbreviation"},
    ],
}


def token_for(db, role: str, name: str | None = None) -> dict[str, str]:
    user = create_user(db.session, name or f"{role}-user", "a-long-password", role=role)
    plain, _ = create_token(db.session, user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture()
def curator(db):
    return token_for(db, "curator", "cora")


@pytest.fixture()
def concept(db):
    created = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None)
    db.session.commit()
    return created


def test_get_concept(client, concept):
    response = client.get(f"/api/v1/concepts/{concept.id}")
    assert response.status_code == 200
    assert_conforms(response, "/concepts/{concept_id}")
    body = response.get_json()
    assert (body["zh"], body["zh_hant"], body["pinyin"], body["en"]) == ("催产素", "催產素", "cuī chǎn sù", "oxytocin")
    assert body["version"] == 1 and body["url"] == f"/concepts/{concept.id}"
    assert response.headers["ETag"] and "max-age" in response.headers["Cache-Control"]
    assert (
        client.get(f"/api/v1/concepts/{concept.id}", headers={"If-None-Match": response.headers["ETag"]}).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/concepts/999", 404, "not_found"),
        ("/api/v1/concepts/abc", 400, "bad_id"),
        ("/api/v1/concepts/-1", 400, "bad_id"),
        ("/api/v1/concepts/1.5", 400, "bad_id"),
        ("/api/v1/concepts/99999999999999999999999", 404, "not_found"),
    ],
)
def test_get_concept_errors(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert_conforms(response, "/concepts/{concept_id}")


def test_create_needs_a_token(client, db):
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert_conforms(response, "/concepts", "post")
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers={"Authorization": "Basic x"})
    assert response.status_code == 401


def test_create_refuses_a_viewer(client, db):
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers=token_for(db, "viewer"))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert_conforms(response, "/concepts", "post")


def test_create_update_delete_with_revisions(client, db, curator):
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers=curator)
    assert response.status_code == 201
    assert_conforms(response, "/concepts", "post")
    created = response.get_json()
    assert created["abbreviations"] == ["AVP"] and created["zh_hant"] == "血管升壓素"
    assert response.headers["Location"].endswith(f"/api/v1/concepts/{created['id']}")

    response = client.patch(
        f"/api/v1/concepts/{created['id']}",
        headers=curator,
        json={"version": created["version"], "definition": "Antidiuretic hormone."},
    )
    assert response.status_code == 200
    assert_conforms(response, "/concepts/{concept_id}", "patch")
    assert response.get_json()["definition"] == "Antidiuretic hormone."
    assert response.get_json()["version"] == created["version"] + 1

    response = client.delete(f"/api/v1/concepts/{created['id']}", headers=curator)
    assert response.status_code == 204 and not response.data
    assert client.get(f"/api/v1/concepts/{created['id']}").status_code == 404
    revisions = db.session.scalars(
        select(Revision).where(Revision.concept_id == created["id"]).order_by(Revision.id)
    ).all()
    assert [(r.action, r.user_name) for r in revisions] == [("create", "cora"), ("update", "cora"), ("delete", "cora")]


def test_stale_edit_is_409_with_both_versions(client, concept, curator):
    first = client.patch(
        f"/api/v1/concepts/{concept.id}", json={"version": 1, "domain": "endocrinology"}, headers=curator
    )
    assert first.status_code == 200
    stale = client.patch(f"/api/v1/concepts/{concept.id}", json={"version": 1, "domain": "psychiatry"}, headers=curator)
    assert stale.status_code == 409
    assert_conforms(stale, "/concepts/{concept_id}", "patch")
    error = stale.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["version"] == 2 and error["current"]["domain"] == "endocrinology"
    assert error["yours"] == {"domain": "psychiatry"}
    assert client.get(f"/api/v1/concepts/{concept.id}").get_json()["domain"] == "endocrinology"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"domain": "x"}, 422),
        ({"version": "1", "domain": "x"}, 422),
        ({"version": 1, "terms": []}, 422),
        ({"version": 1, "terms": [{"lang": "zh", "text": "oxytocin"}]}, 422),
        ({"version": 1, "status": "gone"}, 422),
    ],
)
def test_bad_edits(client, concept, curator, body, status):
    response = client.patch(f"/api/v1/concepts/{concept.id}", json=body, headers=curator)
    assert response.status_code == status
    assert_conforms(response, "/concepts/{concept_id}", "patch")


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "{", "content_type": "application/json"}, 400),
        ({"json": [1]}, 400),
        ({"json": {"terms": "催产素"}}, 422),
        ({"json": {"terms": [{"text": ""}]}}, 422),
        ({"json": {"terms": [{"text": "x", "kind": "acronym"}]}}, 422),
        ({"json": {"terms": [{"text": 5}]}}, 422),
    ],
)
def test_bad_creates(client, curator, kwargs, status):
    response = client.post("/api/v1/concepts", headers=curator, **kwargs)
    assert response.status_code == status
    assert_conforms(response, "/concepts", "post")


def test_delete_errors(client, concept, curator):
    assert client.delete(f"/api/v1/concepts/{concept.id}").status_code == 401
    assert client.delete("/api/v1/concepts/999", headers=curator).status_code == 404
    assert client.delete(f"/api/v1/concepts/{concept.id}?version=x", headers=curator).status_code == 400
    response = client.delete(f"/api/v1/concepts/{concept.id}?version=7", headers=curator)
    assert response.status_code == 409
    assert_conforms(response, "/concepts/{concept_id}", "delete")


def test_writes_are_searchable_at_once(client, curator):
    assert client.get("/api/v1/search?q=血管升").get_json()["total"] == 0
    client.post("/api/v1/concepts", json=NEW_CONCEPT, headers=curator)
    assert client.get("/api/v1/search?q=血管升").get_json()["results"][0]["concept"]["en"] == "vasopressin"
    assert client.post("/api/v1/annotate", json={"text": "血管升压素"}).get_json()["total"] == 1


@pytest.mark.parametrize(
    "term",
    [
        {"text": "x", "lang": {}},
        {"text": "x", "kind": 3},
        {"text": "x", "status": []},
        {"text": "x", "lang": ""},
        {"text": "x", "count": 2**64},
    ],
)
def test_malformed_term_fields_are_422_not_500(client, curator, term):
    response = client.post("/api/v1/concepts", headers=curator, json={"terms": [term]})
    assert response.status_code == 422
    assert_conforms(response, "/concepts", "post")


def test_a_duplicate_is_refused_naming_the_existing_concept_unless_a_homonym(client, db, curator, concept):
    copy = {
        "terms": [
            {"lang": "zh", "text": "催產素"},
            {"lang": "en", "text": "Oxytocin"},
            {"lang": "en", "text": "OT", "kind": "abbreviation"},
        ]
    }
    response = client.post("/api/v1/concepts", json=copy, headers=curator)
    assert response.status_code == 409
    assert_conforms(response, "/concepts", "post")
    error = response.get_json()["error"]
    assert error["code"] == "duplicate" and error["concept_id"] == concept.id
    assert f"Concept {concept.id}" in error["message"] and "homonym" in error["message"]
    assert db.session.scalar(select(func.count()).select_from(Concept)) == 1

    refused = client.post("/api/v1/concepts", json={**copy, "homonym": "yes"}, headers=curator)
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "homonym"
    created = client.post("/api/v1/concepts", json={**copy, "homonym": True}, headers=curator)
    assert created.status_code == 201
    assert_conforms(created, "/concepts", "post")
    assert created.get_json()["id"] != concept.id


def test_sharing_one_language_only_is_no_duplicate(client, db, curator, concept):
    for terms in (
        [{"text": "催产素"}, {"text": "oxytocin receptor agonist"}],
        [{"text": "缩宫素"}, {"text": "oxytocin"}],
        [{"text": "oxytocin"}, {"text": "OT", "kind": "abbreviation"}],
    ):
        assert client.post("/api/v1/concepts", json={"terms": terms}, headers=curator).status_code == 201
