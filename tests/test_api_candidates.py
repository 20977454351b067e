"""The review queue through the API: list, approve (optionally edited), reject."""

from __future__ import annotations

import pytest

from glossary.models import Candidate, Evidence, Source
from glossary.services.candidates import candidate_dedupe_key

from .test_api_concepts import token_for
from .test_api_openapi import assert_conforms


def mined(db, zh: str, en: str, abbr: str = "", confidence: float = 0.8) -> Candidate:
    source = db.session.query(Source).first() or Source(filename="review.txt", sha256="c" * 64)
    sentence = f"已有研究发现{zh}（{en}）。"
    candidate = Candidate(
        zh=zh, en=en, abbr=abbr, dedupe_key=candidate_dedupe_key(zh, en, abbr), confidence=confidence, count=2
    )
    candidate.evidence.append(Evidence(source=source, term=zh, sentence=sentence, start=6, end=6 + len(zh)))
    db.session.add(candidate)
    db.session.commit()
    return candidate


@pytest.fixture()
def queue(db):
    return [
        mined(db, "褪黑素", "melatonin", confidence=0.9),
        mined(db, "视交叉上核", "suprachiasmatic nucleus", "SCN", confidence=0.7),
    ]


def test_list_candidates(client, db, queue):
    viewer = token_for(db, "viewer")
    response = client.get("/api/v1/candidates", headers=viewer)
    assert response.status_code == 200
    assert_conforms(response, "/candidates")
    body = response.get_json()
    assert body["total"] == 2 and [c["en"] for c in body["results"]] == ["melatonin", "suprachiasmatic nucleus"]
    assert body["results"][0]["evidence"][0]["source"] == "review.txt"
    assert client.get("/api/v1/candidates?status=rejected", headers=viewer).get_json()["total"] == 0


def test_listing_candidates_needs_a_token(client, db, queue):
    # Unreviewed evidence quotes uploaded articles: not for anonymous callers.
    anonymous = client.get("/api/v1/candidates")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert_conforms(anonymous, "/candidates")
    forged = client.get("/api/v1/candidates", headers={"Authorization": "Bearer gl_forged"})
    assert forged.status_code == 401 and 'error="invalid_token"' in forged.headers["WWW-Authenticate"]
    assert client.get("/api/v1/candidates", headers=token_for(db, "curator")).status_code == 200


@pytest.mark.parametrize("query", ["status=maybe", "limit=0", "offset=-3", "limit=x"])
def test_list_candidates_bad_parameters(client, db, query):
    response = client.get(f"/api/v1/candidates?{query}", headers=token_for(db, "viewer"))
    assert response.status_code == 400
    assert_conforms(response, "/candidates")


def test_approve_and_reject(client, db, queue):
    curator = token_for(db, "curator")
    response = client.post(
        f"/api/v1/candidates/{queue[1].id}/approve",
        headers=curator,
        json={"zh": "视交叉上核", "domain": "neuroscience"},
    )
    assert response.status_code == 200
    assert_conforms(response, "/candidates/{candidate_id}/approve", "post")
    assert response.get_json()["abbreviations"] == ["SCN"] and response.get_json()["domain"] == "neuroscience"
    response = client.post(f"/api/v1/candidates/{queue[0].id}/reject", headers=curator)
    assert response.status_code == 200
    assert_conforms(response, "/candidates/{candidate_id}/reject", "post")
    assert response.get_json()["status"] == "rejected"
    again = client.post(f"/api/v1/candidates/{queue[0].id}/approve", headers=curator)
    assert again.status_code == 409
    assert_conforms(again, "/candidates/{candidate_id}/approve", "post")
    assert client.get("/api/v1/search?q=SCN").get_json()["results"][0]["concept"]["zh"] == "视交叉上核"


def test_review_needs_a_curator(client, db, queue):
    assert client.post(f"/api/v1/candidates/{queue[0].id}/approve").status_code == 401
    response = client.post(f"/api/v1/candidates/{queue[0].id}/reject", headers=token_for(db, "viewer"))
    assert response.status_code == 403
    assert_conforms(response, "/candidates/{candidate_id}/reject", "post")


def test_review_unknown_or_bad_ids(client, db):
    curator = token_for(db, "curator")
    response = client.post("/api/v1/candidates/404/approve", headers=curator)
    assert response.status_code == 404
    assert_conforms(response, "/candidates/{candidate_id}/approve", "post")
    assert client.post("/api/v1/candidates/x/reject", headers=curator).status_code == 400


def test_candidates_list_their_abbreviation_as_concepts_do(client, db, queue):
    listed = client.get("/api/v1/candidates", headers=token_for(db, "viewer")).get_json()["results"]
    by_en = {c["en"]: c for c in listed}
    assert by_en["suprachiasmatic nucleus"]["abbreviations"] == ["SCN"]
    assert by_en["melatonin"]["abbreviations"] == []
    # The deprecated alias still answers, for one release.
    assert (by_en["suprachiasmatic nucleus"]["abbr"], by_en["melatonin"]["abbr"]) == ("SCN", "")


def test_approve_takes_abbreviations_as_a_list(client, db, queue):
    curator = token_for(db, "curator")
    response = client.post(
        f"/api/v1/candidates/{queue[1].id}/approve", headers=curator, json={"abbreviations": ["SCNu"]}
    )
    assert response.status_code == 200
    assert_conforms(response, "/candidates/{candidate_id}/approve", "post")
    assert response.get_json()["abbreviations"] == ["SCNu"]
    # An empty list approves it without an abbreviation; the deprecated abbr, when it agrees, is fine.
    dropped = client.post(
        f"/api/v1/candidates/{queue[0].id}/approve", headers=curator, json={"abbreviations": [], "abbr": ""}
    )
    assert dropped.status_code == 200 and dropped.get_json()["abbreviations"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"abbreviations": "SCN"},
        {"abbreviations": ["SCN", "SCNu"]},
        {"abbreviations": [7]},
        {"abbreviations": ["SCN"], "abbr": "XYZ"},
    ],
)
def test_approve_refuses_bad_abbreviations_and_writes_nothing(client, db, queue, body):
    curator = token_for(db, "curator")
    response = client.post(f"/api/v1/candidates/{queue[1].id}/approve", headers=curator, json=body)
    # A body against the schema is a 400; a valid one whose abbr and abbreviations disagree, a 422.
    disagree = "abbr" in body
    assert response.status_code == (422 if disagree else 400)
    assert_conforms(response, "/candidates/{candidate_id}/approve", "post")
    assert response.get_json()["error"]["code"] == ("invalid" if disagree else "bad_request")
    assert db.session.get(Candidate, queue[1].id).status == "new"
    assert client.get("/api/v1/search?q=SCN").get_json()["total"] == 0
