"""The review queue: order, evidence, approve, edit-then-approve, reject for good, merge, bulk, paging."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from glossary.models import Candidate, Concept, Revision

from .test_web_support import add_candidate, add_concept, add_source, logged_in


@pytest.fixture()
def curator(db, client):
    return logged_in(db, client, "curator")


def test_queue_is_sorted_by_confidence_then_frequency(db, curator):
    add_candidate(db, "焦虑", "anxiety", confidence=0.5, count=9)
    add_candidate(db, "催产素", "oxytocin", confidence=0.9, count=2)
    add_candidate(db, "抑郁", "depression", confidence=0.9, count=5)
    html = curator.get("/review").get_data(as_text=True)
    assert html.index("抑郁") < html.index("催产素") < html.index("焦虑")
    assert "<mark>催产素</mark>（<mark>oxytocin</mark>）" in html  # the evidence, highlighted
    assert "3 new candidates" in html


def test_alternatives_are_shown_with_a_link_to_use_them(db, curator):
    candidate = add_candidate(db, "的催产素", "oxytocin", alternatives=[{"zh": "催产素", "reason": "boundary"}])
    html = curator.get("/review").get_data(as_text=True)
    assert "Other readings" in html and "boundary" in html
    assert f"/review/{candidate.id}/edit?zh=%E5%82%AC" in html


def test_approve(db, curator):
    candidate = add_candidate(db, "催产素", "oxytocin")
    response = curator.post(f"/review/{candidate.id}/approve", data={"next": "/review?page=1#c-9"})
    assert response.status_code == 302 and response.location.endswith("/review?page=1#c-9")
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).status == "approved"
    assert db.session.scalar(select(Revision.action)) == "approve"
    assert "Approved 催产素 · oxytocin" in curator.get("/review").get_data(as_text=True)


def test_back_link_cannot_leave_the_queue(db, curator):
    candidate = add_candidate(db, "催产素", "oxytocin")
    response = curator.post(f"/review/{candidate.id}/reject", data={"next": "https://evil.example/review"})
    assert response.location.endswith("/review")


def test_edit_then_approve(db, curator):
    candidate = add_candidate(db, "的哺乳动物雷帕霉素靶蛋白", "mammalian target of rapamycin", "mTOR")
    page = curator.get(f"/review/{candidate.id}/edit?zh=哺乳动物雷帕霉素靶蛋白")
    assert 'value="哺乳动物雷帕霉素靶蛋白"' in page.get_data(as_text=True)
    response = curator.post(f"/review/{candidate.id}/edit", data={
        "zh": "哺乳动物雷帕霉素靶蛋白", "en": "mammalian target of rapamycin", "abbr": "mTOR",
        "domain": "biochemistry", "definition": "", "next": "/review"})
    assert response.status_code == 302
    concept = db.session.scalar(select(Concept))
    assert concept.domain == "biochemistry"
    assert {t.text for t in concept.terms} == {"哺乳动物雷帕霉素靶蛋白", "mammalian target of rapamycin", "mTOR"}


def test_edit_with_an_invalid_correction_keeps_the_form(db, curator):
    candidate = add_candidate(db, "焦虑", "anxiety")
    response = curator.post(f"/review/{candidate.id}/edit", data={"zh": "anxiety", "en": "anxiety", "abbr": ""})
    assert response.status_code == 422
    assert "Chinese characters" in response.get_data(as_text=True)
    assert db.session.get(Candidate, candidate.id).status == "new"


def test_rejected_candidates_stay_rejected(db, curator):
    candidate = add_candidate(db, "研究", "study")
    flashed = curator.post(f"/review/{candidate.id}/reject", follow_redirects=True).get_data(as_text=True)
    assert "will not be proposed again" in flashed
    assert "研究" not in curator.get("/review").get_data(as_text=True)
    assert "研究" in curator.get("/review?status=rejected").get_data(as_text=True)
    # Approving it later (a stale tab, a double key press) is refused, not silently done.
    curator.post(f"/review/{candidate.id}/approve")
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).status == "rejected"
    assert db.session.scalar(select(func.count()).select_from(Concept)) == 0


def test_merge_suggestions_are_shown_and_merge_joins_the_terms(db, curator):
    concept = add_concept(db, "5-羟色胺", "", "5-HT", domain="neuroscience")
    candidate = add_candidate(db, "5-羟色胺", "5-hydroxytryptamine", "5-HT")
    html = curator.get("/review").get_data(as_text=True)
    assert "Already in the glossary" in html
    assert f'name="concept_id" value="{concept.id}"' in html
    response = curator.post(f"/review/{candidate.id}/merge", data={"concept_id": str(concept.id)})
    assert response.status_code == 302
    db.session.expire_all()
    concept = db.session.get(Concept, concept.id)
    assert sorted(t.text for t in concept.terms) == ["5-HT", "5-hydroxytryptamine", "5-羟色胺"]
    assert db.session.get(Candidate, candidate.id).status == "merged"
    assert db.session.scalar(select(func.count()).select_from(Concept)) == 1


def test_merge_into_a_missing_concept_says_so(db, curator):
    candidate = add_candidate(db, "催产素", "oxytocin")
    response = curator.post(f"/review/{candidate.id}/merge", data={"concept_id": "999"}, follow_redirects=True)
    assert "No concept has id 999" in response.get_data(as_text=True)


def test_bulk_approve_of_a_selection(db, curator):
    ids = [add_candidate(db, zh, en).id for zh, en in [("焦虑", "anxiety"), ("抑郁", "depression"), ("应激", "stress")]]
    response = curator.post("/review/bulk", data={"ids": [str(ids[0]), str(ids[2])]}, follow_redirects=True)
    assert "Approved 2 candidates" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [db.session.get(Candidate, i).status for i in ids] == ["approved", "new", "approved"]


def test_bulk_approve_of_nothing_is_a_message(db, curator):
    response = curator.post("/review/bulk", data={}, follow_redirects=True)
    assert "Select at least one candidate" in response.get_data(as_text=True)


def test_paging_and_source_filter(db, curator):
    first, second = add_source(db, "a.txt", "甲"), add_source(db, "b.txt", "乙")
    for i in range(7):
        add_candidate(db, f"术语{'一二三四五六七'[i]}", f"term {i}", confidence=1 - i / 10, source=first)
    add_candidate(db, "催产素", "oxytocin", source=second)
    page1 = curator.get(f"/review?per_page=5&source={first.id}").get_data(as_text=True)
    assert "term 0" in page1 and "term 5" not in page1 and "oxytocin" not in page1 and "Page 1 of 2" in page1
    page2 = curator.get(f"/review?per_page=5&page=2&source={first.id}").get_data(as_text=True)
    assert "term 5" in page2 and "term 6" in page2 and "term 0" not in page2
    only_second = curator.get(f"/review?source={second.id}").get_data(as_text=True)
    assert "oxytocin" in only_second and "term 0" not in only_second
    beyond = curator.get("/review?per_page=5&page=9")
    assert beyond.status_code == 302 and "page=2" in beyond.location


def test_queue_links_the_keyboard_script_without_inline_code(db, curator):
    add_candidate(db, "催产素", "oxytocin")
    html = curator.get("/review").get_data(as_text=True)
    assert 'src="/static/review.js"' in html
    assert "<script>" not in html and "onclick" not in html
    assert curator.get("/static/review.js").status_code == 200
