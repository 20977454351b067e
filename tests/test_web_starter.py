"""The starter glossary: big enough, every concept bilingual and traceable, and rebuilt exactly from its inputs."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from glossary.data import build_starter
from glossary.models import Concept
from glossary.services.starter import STARTER_PATH, load_starter

DATA = STARTER_PATH.parent


def test_starter_has_sixty_bilingual_concepts_each_with_its_sources():
    starter = json.loads(STARTER_PATH.read_text(encoding="utf-8"))
    sources = {s["key"]: s for s in starter["sources"]}
    assert len(starter["concepts"]) >= 60
    for concept in starter["concepts"]:
        kinds = {(t["lang"], t["kind"]) for t in concept["terms"] if t["status"] == "preferred"}
        assert ("zh", "full") in kinds and (("en", "full") in kinds or ("en", "abbreviation") in kinds), concept
        assert concept["domain"], concept
        assert concept["evidence"], concept
        for evidence in concept["evidence"]:
            assert sources[evidence["source"]]["title"] and evidence["sentence"]


def test_starter_rebuilds_exactly_from_the_mined_candidates_and_the_review(shared_dir, tmp_path):
    output = tmp_path / "starter.json"
    code = build_starter.main(
        [
            str(DATA / "starter_mined.jsonl"),
            str(DATA / "starter_review.tsv"),
            "--corpus",
            str(shared_dir / "corpus"),
            "-o",
            str(output),
        ]
    )
    assert code == 0
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(STARTER_PATH.read_text(encoding="utf-8"))


def test_every_mined_candidate_has_exactly_one_decision():
    mined = build_starter.read_mined(DATA / "starter_mined.jsonl")
    decisions, _ = build_starter.read_review(DATA / "starter_review.tsv")
    assert build_starter.check_review(mined, decisions) == []
    assert len(decisions) == len(mined)


def test_review_problems_are_all_reported():
    mined = [
        {"zh": "催产素", "en": "oxytocin", "abbr": "", "sources": []},
        {"zh": "焦虑", "en": "anxiety", "abbr": "", "sources": []},
    ]
    row = {
        "mined_zh": "催产素",
        "mined_en": "oxytocin",
        "mined_abbr": "",
        "decision": "approve",
        "zh": "催产素",
        "en": "Oxytocin",
        "abbr": "",
        "domain": "",
        "note": "",
    }
    problems = build_starter.check_review(mined, [row])
    assert any("use 'edit'" in p for p in problems)
    assert any("needs a domain" in p for p in problems)
    assert any(p.startswith("not reviewed: 焦虑") for p in problems)


def test_make_run_finds_the_starter_terms(db, client):
    load_starter(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Concept)) >= 60
    oxytocin = db.session.scalar(select(Concept).where(Concept.terms.any(text="催产素")))
    page = client.get(f"/concepts/{oxytocin.id}").get_data(as_text=True)
    assert "oxytocin" in page and "<mark>催产素</mark>" in page
    assert "基于催产素的抗焦虑作用向临床转化的研究进展" in page  # the source, by its title
    assert "starter" in page  # the history says where it came from
