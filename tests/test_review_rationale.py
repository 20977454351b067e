"""Why a candidate was read so: stored when mined, shown in the review queue, served by the API.

The miner is replaced by a stand-in where the test needs a fixed rationale (the
real one is tuned often); the wiring test calls through to the real miner and
only watches which glossary pairs it is given.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from glossary.mining import Candidate as MinedCandidate
from glossary.models import Candidate
from glossary.services import mining as mining_service
from glossary.services.concepts import create_concept
from glossary.services.rationale import MAX_LEXICON, MAX_REASONS, clean_rationale

from .test_api_concepts import token_for
from .test_api_openapi import SPEC, assert_conforms
from .test_web_support import add_candidate, add_concept, logged_in

ARTICLE = "新近研究提示，外侧缰核（lateral habenula，LHb）的过度放电与快感缺失有关。\n"
LATER_ARTICLE = "另一组实验中，外侧缰核（lateral habenula，LHb）的抑制改善了动物的探索行为。\n"


def upload(client, headers, name: str, text: str):
    data = {"files": [(io.BytesIO(text.encode("utf-8")), name)]}
    return client.post("/api/v1/documents", data=data, headers=headers, content_type="multipart/form-data")


def proposal(
    reasons: list[str], lexicon: list[dict[str, str]], recurrence: int, alt_recurrence: int, file: str = "0"
) -> MinedCandidate:
    """What the miner would return for the article: one reading chosen, one weighed and set aside."""
    return MinedCandidate(
        zh="外侧缰核",
        en="lateral habenula",
        abbr="LHb",
        confidence=0.9,
        sources=[{"file": file, "start": 6, "end": 10, "sentence": "外侧缰核（lateral habenula，LHb）的过度放电"}],
        alternatives=[
            {
                "zh": "缰核",
                "en": "lateral habenula",
                "abbr": "LHb",
                "confidence": 0.3,
                "evidence": {
                    "reasons": ["modifier 外侧 is not kept"],
                    "lexicon": [{"zh": "缰核", "en": "habenula"}],
                    "recurrence": alt_recurrence,
                },
            }
        ],
        evidence={"reasons": reasons, "lexicon": lexicon, "recurrence": recurrence},
    )


@pytest.fixture()
def fixed_miner(monkeypatch):
    """Stands in for mine_texts; returns what the test queued, one answer per call."""
    answers: list[list[MinedCandidate]] = []
    monkeypatch.setattr(mining_service, "mine_texts", lambda docs, *, known_pairs=(): answers.pop(0))
    return answers


def test_approved_glossary_pairs_reach_the_miner(client, db, monkeypatch):
    add_concept(db, "缰核", "habenula", "Hb")
    add_concept(db, "快感缺失", "anhedonia", domain="psychiatry")
    add_concept(db, "探索行为", "exploratory behaviour", status="draft")  # not approved: not taught
    add_concept(db, "伏隔核")  # Chinese only: nothing to pair
    add_concept(db, en="ventral pallidum", abbr="VP")  # no Chinese either
    create_concept(
        db.session,
        {
            "terms": [  # the preferred English, not the admitted one entered first
                {"lang": "zh", "text": "腹侧被盖区"},
                {"lang": "en", "text": "ventral tegmental region", "status": "admitted"},
                {"lang": "en", "text": "ventral tegmental area"},
            ]
        },
        None,
    )
    db.session.commit()
    seen, returned = [], []
    real = mining_service.mine_texts

    def spy(docs, *, known_pairs=()):
        seen.append(known_pairs)
        returned.extend(real(docs, known_pairs=known_pairs))
        return returned

    monkeypatch.setattr(mining_service, "mine_texts", spy)
    curator = token_for(db, "curator")
    response = upload(client, curator, "habenula.txt", ARTICLE)
    assert response.status_code == 200
    assert seen == [[("缰核", "habenula"), ("快感缺失", "anhedonia"), ("腹侧被盖区", "ventral tegmental area")]]
    assert all(type(pair) is tuple for pair in seen[0])
    # Whatever the real miner explains is what the API serves, reading by reading.
    queue = client.get("/api/v1/candidates", headers=curator).get_json()["results"]
    served = {(c["zh"], c["en"], c["abbr"]): c for c in queue}
    assert returned and len(served) == len(returned)
    for mined in returned:
        assert served[(mined.zh, mined.en, mined.abbr)]["rationale"] == clean_rationale(mined.evidence)


def test_rationale_is_stored_and_refreshed_when_mined_again(client, db, fixed_miner):
    curator = token_for(db, "curator")
    fixed_miner.append(
        [
            proposal(
                ["after function word 的", "modifier 外侧 is in the English (lateral)"],
                [{"zh": "外侧", "en": "lateral"}],
                recurrence=2,
                alt_recurrence=1,
            )
        ]
    )
    assert upload(client, curator, "first.txt", ARTICLE).get_json()["new_candidates"] == 1
    fixed_miner.append(
        [
            proposal(
                ["free elsewhere x3", "after function word 的"],
                [{"zh": "缰核", "en": "habenula"}],
                recurrence=3,
                alt_recurrence=4,
            )
        ]
    )
    assert upload(client, curator, "later.txt", LATER_ARTICLE).get_json()["known_candidates"] == 1
    db.session.expire_all()
    candidate = db.session.scalar(select(Candidate))
    assert candidate.rationale == {
        "reasons": ["free elsewhere x3", "after function word 的", "modifier 外侧 is in the English (lateral)"],
        "lexicon": [{"zh": "缰核", "en": "habenula"}, {"zh": "外侧", "en": "lateral"}],
        "recurrence": 5,
    }
    assert len(candidate.alternatives) == 1 and candidate.alternatives[0]["evidence"]["recurrence"] == 5
    assert candidate.count == 2


def test_queue_and_edit_page_show_why_each_reading(client, db, fixed_miner):
    fixed_miner.append(
        [
            proposal(
                ["after function word 的", "modifier 外侧 is in the English (lateral)"],
                [{"zh": "外侧", "en": "lateral"}],
                recurrence=2,
                alt_recurrence=1,
            )
        ]
    )
    upload(client, token_for(db, "curator"), "first.txt", ARTICLE)
    page = logged_in(db, client, "curator").get("/review")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Why this reading" in html
    assert "<li>after function word 的</li>" in html
    assert "<li>modifier 外侧 is in the English (lateral)</li>" in html
    assert '<span lang="zh-Hans">外侧</span> ↔ <span lang="en">lateral</span>' in html
    assert '<span lang="zh-Hans">缰核</span> ↔ <span lang="en">habenula</span>' in html  # the alternative's
    assert '<td data-label="Recurs" class="why-recurrence">2×</td>' in html
    assert '<td data-label="Recurs" class="why-recurrence">1×</td>' in html
    assert "<li>modifier 外侧 is not kept</li>" in html
    candidate = db.session.scalar(select(Candidate))
    edit = client.get(f"/review/{candidate.id}/edit").get_data(as_text=True)
    assert '<details class="why" open>' in edit and "<li>after function word 的</li>" in edit


def test_api_serves_the_rationale_of_each_reading(client, db, fixed_miner):
    fixed_miner.append(
        [proposal(["after function word 的"], [{"zh": "外侧", "en": "lateral"}], recurrence=2, alt_recurrence=1)]
    )
    curator = token_for(db, "curator")
    upload(client, curator, "first.txt", ARTICLE)
    response = client.get("/api/v1/candidates", headers=curator)
    assert_conforms(response, "/candidates")
    found = response.get_json()["results"][0]
    assert found["rationale"] == {
        "reasons": ["after function word 的"],
        "lexicon": [{"zh": "外侧", "en": "lateral"}],
        "recurrence": 2,
    }
    assert found["alternatives"] == [
        {
            "zh": "缰核",
            "en": "lateral habenula",
            "abbreviations": ["LHb"],
            "abbr": "LHb",  # deprecated alias, answered for one release
            "confidence": 0.3,
            "rationale": {
                "reasons": ["modifier 外侧 is not kept"],
                "lexicon": [{"zh": "缰核", "en": "habenula"}],
                "recurrence": 1,
            },
        }
    ]
    assert found["evidence"][0]["sentence"].startswith("外侧缰核")  # the sentences keep their name


def test_a_candidate_without_rationale_still_renders(client, db):
    # As mined before the rationale was recorded: no rationale, an alternative without one, a stray value.
    candidate = add_candidate(
        db,
        "的内侧前额叶",
        "medial prefrontal",
        alternatives=[{"zh": "内侧前额叶", "reason": "boundary"}, "an old free-text note"],
    )
    assert candidate.rationale == {}
    curator = logged_in(db, client, "curator")
    html = curator.get("/review").get_data(as_text=True)
    assert "内侧前额叶" in html and "boundary" in html and "Why this reading" not in html
    assert curator.get(f"/review/{candidate.id}/edit").status_code == 200
    response = client.get("/api/v1/candidates", headers=token_for(db, "viewer"))
    assert_conforms(response, "/candidates")
    found = response.get_json()["results"][0]
    assert found["rationale"] == {"reasons": [], "lexicon": [], "recurrence": 0}
    assert found["alternatives"][0]["rationale"] == found["rationale"]
    assert found["alternatives"][0]["confidence"] is None


def test_rationale_text_is_escaped(client, db):
    candidate = add_candidate(db, "杏仁核", "amygdala")
    candidate.rationale = {
        "reasons": ["<script>alert(1)</script>"],
        "lexicon": [{"zh": "<b>", "en": "&"}],
        "recurrence": 1,
    }
    db.session.commit()
    html = logged_in(db, client, "curator").get("/review").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&lt;b&gt;</span> ↔ <span lang="en">&amp;</span>' in html


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "x",
        {"reasons": "not a list", "lexicon": {}, "recurrence": True},
        {"reasons": [1, "", " a ", "a"], "lexicon": [{"zh": "甲"}, ["乙", "b"]], "recurrence": -4},
    ],
)
def test_odd_stored_rationales_read_as_a_clean_shape(raw):
    cleaned = clean_rationale(raw)
    assert set(cleaned) == {"reasons", "lexicon", "recurrence"} and cleaned["lexicon"] == []
    assert cleaned["recurrence"] == 0 and cleaned["reasons"] in ([], ["a"])


def test_documented_limits_are_the_ones_kept():
    schema = SPEC["components"]["schemas"]["Rationale"]["properties"]
    assert schema["reasons"]["maxItems"] == MAX_REASONS and schema["lexicon"]["maxItems"] == MAX_LEXICON
    cleaned = clean_rationale(
        {"reasons": [f"r{i}" for i in range(40)], "lexicon": [{"zh": f"词{i}", "en": f"w{i}"} for i in range(40)]}
    )
    assert len(cleaned["reasons"]) == MAX_REASONS and len(cleaned["lexicon"]) == MAX_LEXICON
