"""The review queue: order, evidence, approve, edit-then-approve, reject for good, merge, bulk, paging."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from glossary.models import Candidate, Concept, Revision
from glossary.services.domains import add_domain

from .test_web_support import add_candidate, add_concept, add_source, logged_in

# The domains the forms may choose (a managed list: a name off the list is refused).
DOMAINS = ("biochemistry", "endocrinology", "immunology", "neurology", "oncology", "psychiatry")


@pytest.fixture()
def curator(db, client):
    for name in DOMAINS:
        add_domain(db.session, name)
    db.session.commit()
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
    response = curator.post(
        f"/review/{candidate.id}/edit",
        data={
            "zh": "哺乳动物雷帕霉素靶蛋白",
            "en": "mammalian target of rapamycin",
            "abbr": "mTOR",
            "domain": "biochemistry",
            "definition": "",
            "next": "/review",
        },
    )
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
    assert f"/review/{candidate.id}/merge?concept_id={concept.id}" in html
    # A post that skipped the preview is sent to it, and nothing is merged yet.
    blind = curator.post(f"/review/{candidate.id}/merge", data={"concept_id": str(concept.id)})
    assert blind.status_code == 302 and f"/review/{candidate.id}/merge?concept_id={concept.id}" in blind.location
    assert db.session.get(Candidate, candidate.id).status == "new"
    preview = curator.get(blind.location).get_data(as_text=True)
    assert 'value="en:full:5-hydroxytryptamine" id="add-2" checked' in preview
    response = curator.post(
        f"/review/{candidate.id}/merge",
        data={"concept_id": str(concept.id), "reviewed": "1", "add": "en:full:5-hydroxytryptamine"},
    )
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


def test_a_rejected_candidate_can_be_restored_and_mining_counts_it_again(db, curator):
    candidate = add_candidate(db, "研究", "study")
    curator.post(f"/review/{candidate.id}/reject")
    rejected = curator.get("/review?status=rejected").get_data(as_text=True)
    assert f'action="/review/{candidate.id}/restore"' in rejected and "Restore to the queue" in rejected
    flashed = curator.post(
        f"/review/{candidate.id}/restore", data={"next": "/review?status=rejected"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Restored 研究 · study to the queue" in flashed
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).status == "new"
    assert "研究" in curator.get("/review").get_data(as_text=True)
    assert db.session.scalars(select(Revision.action).order_by(Revision.id)).all() == ["reject", "restore"]
    # Restoring twice (a stale tab) is refused with the reason, and changes nothing.
    again = curator.post(f"/review/{candidate.id}/restore", follow_redirects=True).get_data(as_text=True)
    assert "Only a rejected candidate can be restored; this one is new" in again


def test_restored_candidate_is_proposed_again_by_mining(db, curator):
    from glossary.services.mining import mine_documents, read_documents

    def mine(opening: str, name: str):
        text = f"{opening}褪黑素受体（melatonin receptor）参与昼夜节律。褪黑素受体（melatonin receptor）分布广泛。"
        report = mine_documents(db.session, read_documents([(name, text.encode())]))
        db.session.commit()
        return report

    mine("研究表明", "first.txt")
    candidate = db.session.scalar(select(Candidate).where(Candidate.en == "melatonin receptor"))
    curator.post(f"/review/{candidate.id}/reject")
    assert mine("另有报道", "second.txt").rejected_skipped >= 1
    curator.post(f"/review/{candidate.id}/restore")
    db.session.expire_all()
    count = db.session.get(Candidate, candidate.id).count
    assert mine("此外", "third.txt").rejected_skipped == 0
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).count > count


def test_merge_preview_adds_the_chosen_boundary_never_the_phrase_or_plurals(db, curator):
    concept = add_concept(db, "脂多糖", "lipopolysaccharide", "LPS")
    candidate = add_candidate(
        db,
        "革兰阴性菌外膜成分脂多糖",
        "lipopolysaccharides",
        "LPS",
        alternatives=[{"zh": "外膜脂多糖", "reason": "boundary"}],
    )
    preview = curator.get(f"/review/{candidate.id}/merge?concept_id={concept.id}").get_data(as_text=True)
    assert "a longer phrase around 「脂多糖」" in preview
    assert "the plural or singular of lipopolysaccharide" in preview
    assert 'value="zh:full:外膜脂多糖"' in preview  # the miner's other reading is offered too
    assert "checked" not in preview  # nothing is ticked: every offer here is a likely mistake
    # Merging with nothing ticked only counts and links; the raw phrase and the plural stay out.
    curator.post(f"/review/{candidate.id}/merge", data={"concept_id": str(concept.id), "reviewed": "1"})
    db.session.expire_all()
    merged = db.session.get(Concept, concept.id)
    assert sorted(t.text for t in merged.terms) == ["LPS", "lipopolysaccharide", "脂多糖"]
    assert db.session.get(Candidate, candidate.id).status == "merged"
    assert merged.evidence and merged.evidence[0].candidate_id == candidate.id


def test_merge_adds_an_alternative_the_curator_picks(db, curator):
    concept = add_concept(db, "脂多糖", "lipopolysaccharide")
    candidate = add_candidate(
        db, "革兰阴性菌外膜成分脂多糖", "lipopolysaccharide", alternatives=[{"zh": "内毒素", "reason": "boundary"}]
    )
    response = curator.post(
        f"/review/{candidate.id}/merge",
        data={"concept_id": str(concept.id), "reviewed": "1", "add": "zh:full:内毒素"},
        follow_redirects=True,
    )
    assert "added 内毒素" in response.get_data(as_text=True)
    db.session.expire_all()
    terms = {t.text: t for t in db.session.get(Concept, concept.id).terms}
    assert set(terms) == {"脂多糖", "lipopolysaccharide", "内毒素"}
    assert (terms["内毒素"].kind, terms["内毒素"].status) == ("variant", "admitted")


def test_merge_refuses_a_term_it_did_not_offer(db, curator):
    concept = add_concept(db, "脂多糖", "lipopolysaccharide")
    candidate = add_candidate(db, "脂多糖", "endotoxin")
    response = curator.post(
        f"/review/{candidate.id}/merge",
        data={"concept_id": str(concept.id), "reviewed": "1", "add": "zh:full:随便什么"},
        follow_redirects=True,
    )
    assert "is not one of the terms this merge can add" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).status == "new"
    assert len(db.session.get(Concept, concept.id).terms) == 2


def test_merge_into_is_found_by_searching(db, curator):
    concept = add_concept(db, "褪黑素", "melatonin")
    candidate = add_candidate(db, "松果体素", "pineal hormone")
    found = curator.get(f"/review/{candidate.id}/merge?q=melatonin").get_data(as_text=True)
    assert f"/review/{candidate.id}/merge?concept_id={concept.id}" in found
    none = curator.get(f"/review/{candidate.id}/merge?q=nothinglikeit").get_data(as_text=True)
    assert "No concept matches" in none
    assert curator.get(f"/review/{candidate.id}/merge?concept_id=999").status_code == 404


def test_traditional_candidate_becomes_a_zh_hant_term_with_a_derived_simplified_form(db, curator):
    candidate = add_candidate(db, "閉鎖小帶蛋白-1", "zonula occludens-1", "ZO-1")
    form = curator.get(f"/review/{candidate.id}/edit").get_data(as_text=True)
    assert 'value="闭锁小带蛋白-1"' in form and 'value="閉鎖小帶蛋白-1"' in form
    curator.post(f"/review/{candidate.id}/approve")
    db.session.expire_all()
    concept = db.session.get(Concept, db.session.get(Candidate, candidate.id).concept_id)
    zh = concept.terms_of("zh")[0]
    assert (zh.text, zh.zh_hant) == ("闭锁小带蛋白-1", "閉鎖小帶蛋白-1")
    exported = curator.get("/api/v1/export?format=csv").get_data(as_text=True)
    assert "闭锁小带蛋白-1" in exported and "閉鎖小帶蛋白-1" in exported


def test_edit_then_approve_sets_a_curated_traditional_form(db, curator):
    candidate = add_candidate(db, "5-羟色胺", "serotonin")
    curator.post(
        f"/review/{candidate.id}/edit",
        data={"zh": "5-羟色胺", "zh_hant": "血清素", "en": "serotonin", "abbr": "", "domain": "", "definition": ""},
    )
    db.session.expire_all()
    zh = db.session.scalar(select(Concept)).terms_of("zh")[0]
    assert (zh.text, zh.zh_hant) == ("5-羟色胺", "血清素")
    # Exports carry the curated form (the formats read the stored traditional form).
    assert "血清素" in curator.get("/api/v1/export?format=csv").get_data(as_text=True)
    assert "血清素" in curator.get("/api/v1/export?format=tbx").get_data(as_text=True)


def test_merge_from_the_edit_page_previews_the_corrected_reading(db, curator):
    concept = add_concept(db, "脂多糖", "lipopolysaccharide")
    candidate = add_candidate(db, "外膜成分脂多糖", "endotoxin")
    response = curator.post(
        f"/review/{candidate.id}/edit",
        data={
            "zh": "内毒素",
            "zh_hant": "",
            "en": "endotoxin",
            "abbr": "",
            "domain": "",
            "definition": "",
            "merge_into": str(concept.id),
        },
    )
    assert response.status_code == 302 and "/merge?" in response.location and "zh=" in response.location
    assert db.session.get(Candidate, candidate.id).status == "new"  # nothing merged before the preview
    preview = curator.get(response.location).get_data(as_text=True)
    assert 'value="zh:full:内毒素"' in preview and "外膜成分脂多糖" not in preview.split("merge-options")[1]
    curator.post(
        f"/review/{candidate.id}/merge",
        data={
            "concept_id": str(concept.id),
            "reviewed": "1",
            "zh": "内毒素",
            "en": "endotoxin",
            "abbr": "",
            "add": ["zh:full:内毒素", "en:full:endotoxin"],
        },
    )
    db.session.expire_all()
    assert sorted(t.text for t in db.session.get(Concept, concept.id).terms) == [
        "endotoxin",
        "lipopolysaccharide",
        "内毒素",
        "脂多糖",
    ]


def test_curators_have_a_link_to_a_new_concept(db, curator):
    assert 'href="/concepts/new">New concept</a>' in curator.get("/").get_data(as_text=True)
