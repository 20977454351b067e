"""Invisible characters in terms, through every door: the API, the pages, an import, mining and search.

A bidirectional control reorders what readers see ("abc\\u202egnp.exe" displays
as "abcexe.png"): refused with a 422 naming it. A zero-width character makes
"oxy\\u200btocin" a different term that looks like oxytocin: dropped from terms
and from search keys.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from glossary.mining import Candidate as MinedCandidate
from glossary.models import Candidate, Concept, Revision, Term
from glossary.services import mining
from glossary.services.mining import mine_documents, read_documents
from glossary.text import abbr_key, english_key, zh_key

from .test_api_concepts import token_for
from .test_api_openapi import assert_conforms
from .test_web_interchange import apply_from, preview
from .test_web_support import add_candidate, add_concept, logged_in

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def counts(db) -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Concept, Term, Revision))


@pytest.fixture()
def curator_token(db):
    return token_for(db, "curator", "cora-api")


@pytest.mark.parametrize("control", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_the_api_refuses_a_bidi_control_naming_it(client, db, curator_token, control):
    before = counts(db)
    body = {"terms": [{"lang": "zh", "text": "催产素"}, {"lang": "en", "text": f"abc{control}gnp.exe"}]}
    response = client.post("/api/v1/concepts", json=body, headers=curator_token)
    assert response.status_code == 422
    assert_conforms(response, "/concepts", "post")
    error = response.get_json()["error"]
    code = f"U+{ord(control):04X}"
    assert error["character"] == code and code in error["message"] and error["field"] == "terms[1]"
    assert counts(db) == before


def test_an_edit_and_an_approval_refuse_bidi_controls_too(client, db, curator_token):
    concept = add_concept(db, "催产素", "oxytocin")
    edit = client.patch(
        f"/api/v1/concepts/{concept.id}",
        headers=curator_token,
        json={"version": 1, "terms": [{"text": "催产素"}, {"text": "oxy\u202etocin"}]},
    )
    assert edit.status_code == 422 and "U+202E" in edit.get_json()["error"]["message"]
    candidate = add_candidate(db, "褪黑素", "melatonin")
    approve = client.post(
        f"/api/v1/candidates/{candidate.id}/approve", headers=curator_token, json={"en": "mela\u2066tonin"}
    )
    assert approve.status_code == 422 and approve.get_json()["error"]["character"] == "U+2066"
    assert db.session.get(Candidate, candidate.id).status == "new"


@pytest.mark.parametrize("space", ZERO_WIDTH, ids=[f"U+{ord(c):04X}" for c in ZERO_WIDTH])
def test_the_api_drops_zero_width_characters_and_search_finds_the_term(client, db, curator_token, space):
    body = {
        "terms": [
            {"text": f"催{space}产素"},
            {"text": f"oxy{space}tocin"},
            {"text": f"O{space}XT", "kind": "abbreviation"},
        ]
    }
    response = client.post("/api/v1/concepts", json=body, headers=curator_token)
    assert response.status_code == 201
    assert (response.get_json()["zh"], response.get_json()["en"]) == ("催产素", "oxytocin")
    assert {t.text for t in db.session.scalars(select(Term))} == {"催产素", "oxytocin", "OXT"}
    for query in ("oxytocin", f"oxy{space}tocin", "催产素", f"O{space}XT"):
        hits = client.get("/api/v1/search", query_string={"q": query}).get_json()["results"]
        assert [hit["concept"]["id"] for hit in hits] == [response.get_json()["id"]], query
    # The same term with a zero-width character is a duplicate, not a second concept.
    again = client.post(
        "/api/v1/concepts", json={"terms": [{"text": "催产素"}, {"text": f"oxyto{space}cin"}]}, headers=curator_token
    )
    assert again.status_code == 409


def test_search_keys_ignore_invisible_characters():
    assert english_key("oxy\u200btocin") == english_key("oxytocin")
    assert zh_key("\ufeff催产素\u200d") == zh_key("催产素")
    assert abbr_key("\u200eNF-\u2060κB\u200f") == abbr_key("NF-κB")


def test_the_new_concept_page_refuses_bidi_and_drops_zero_width(db, client):
    curator = logged_in(db, client, "curator")
    form = {
        "version": "",
        "domain": "",
        "status": "approved",
        "terms-0-lang": "",
        "terms-0-text": "催产素",
        "terms-0-kind": "full",
        "terms-0-status": "preferred",
        "terms-1-lang": "",
        "terms-1-text": "oxy\u202etocin",
        "terms-1-kind": "full",
        "terms-1-status": "preferred",
    }
    refused = curator.post("/concepts/new", data=form)
    assert refused.status_code == 422 and "U+202E RIGHT-TO-LEFT OVERRIDE" in refused.get_data(as_text=True)
    assert counts(db)[0] == 0
    created = curator.post("/concepts/new", data={**form, "terms-1-text": "oxy\u200btocin"})
    assert created.status_code == 302
    assert {t.text for t in db.session.scalars(select(Term))} == {"催产素", "oxytocin"}


def test_an_import_refuses_bidi_and_drops_zero_width(db, client):
    admin = logged_in(db, client, "admin")
    existing = add_concept(db, "催产素", "oxytocin")
    before = counts(db)
    refused = preview(admin, "zh,en\n褪黑素,mela\u202etonin\n".encode())
    assert "U+202E" in refused.get_data(as_text=True) and "apply-form" not in refused.get_data(as_text=True)
    assert counts(db) == before
    # "oxy\u200btocin" is oxytocin: merged into the concept that has it, not a look-alike concept.
    page = preview(admin, "zh,en\n催\u200b产素,oxy\u200btocin\n".encode())
    assert apply_from(admin, page.data).status_code == 200
    assert counts(db)[0] == 1
    assert {t.text for t in db.session.get(Concept, existing.id).terms} == {"催产素", "oxytocin"}


def test_mining_output_is_stored_without_invisible_characters(db, monkeypatch):
    """Whatever the miner proposes, the service stores terms a reader sees as they are."""
    proposal = MinedCandidate(
        zh="下丘脑-垂体-\u200b肾上腺",
        en="\u200ehypothalamic-pituitary-\u200badrenal\u200f",
        abbr="\u2066HPA\u2069",
        confidence=0.9,
        count=1,
        sources=[{"file": "0", "sentence": "下丘脑-垂体-肾上腺（HPA）轴", "start": 0, "end": 9}],
    )
    monkeypatch.setattr(mining, "mine_texts", lambda docs, known_pairs=(): [proposal])
    mine_documents(db.session, read_documents([("article.txt", "下丘脑-垂体-肾上腺（HPA）轴".encode())]))
    db.session.commit()
    (stored,) = db.session.scalars(select(Candidate)).all()
    assert (stored.zh, stored.en, stored.abbr) == ("下丘脑-垂体-肾上腺", "hypothalamic-pituitary-adrenal", "HPA")
    assert stored.evidence[0].term == "下丘脑-垂体-肾上腺"


def test_the_upload_api_stores_terms_without_invisible_characters(client, db, curator_token):
    article = "研究发现催产素（oxy\u200btocin，\u202eOXT\u202c）可以缓解焦虑。".encode()
    response = client.post(
        "/api/v1/documents",
        headers=curator_token,
        content_type="multipart/form-data",
        data={"files": (io.BytesIO(article), "article.txt")},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    texts = {text for c in db.session.scalars(select(Candidate)) for text in (c.zh, c.en, c.abbr)}
    assert "oxytocin" in texts and not any(set(text) & set(BIDI + ZERO_WIDTH) for text in texts)
