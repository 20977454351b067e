"""Candidate review services on a real database."""

import pytest
from sqlalchemy import select

from glossary.errors import Conflict, ValidationFailed
from glossary.models import Candidate, Concept, Evidence, Source
from glossary.services.candidates import (
    approve_candidate,
    bulk_approve,
    candidate_dedupe_key,
    merge_candidate,
    plan_merge,
    reject_candidate,
    restore_candidate,
    split_scripts,
    suggest_concepts,
)
from glossary.services.concepts import create_concept


def add_candidate(db, zh="", en="", abbr="", count=1):
    source = db.session.scalar(select(Source)) or Source(filename="t.txt", sha256="a" * 64)
    candidate = Candidate(
        zh=zh, en=en, abbr=abbr, dedupe_key=candidate_dedupe_key(zh, en, abbr), confidence=0.9, count=count
    )
    candidate.evidence.append(Evidence(source=source, term=zh or en, sentence=f"{zh}（{en}）", start=0, end=3))
    db.session.add(candidate)
    db.session.flush()
    return candidate


def test_approve_creates_a_concept_with_evidence(db):
    candidate = add_candidate(db, "催产素", "oxytocin")
    concept = approve_candidate(db.session, candidate.id, None)
    db.session.commit()
    assert {(t.lang, t.text) for t in concept.terms} == {("zh", "催产素"), ("en", "oxytocin")}
    assert candidate.status == "approved" and candidate.concept_id == concept.id
    assert concept.evidence[0].sentence == "催产素（oxytocin）"


def test_edit_then_approve(db):
    candidate = add_candidate(db, "的哺乳动物雷帕霉素靶蛋白", "mammalian target of rapamycin", "mTOR")
    concept = approve_candidate(db.session, candidate.id, None, edits={"zh": "哺乳动物雷帕霉素靶蛋白"})
    assert "哺乳动物雷帕霉素靶蛋白" in {t.text for t in concept.terms}
    assert "mTOR" in {t.text for t in concept.terms if t.kind == "abbreviation"}


def test_dedupe_key_folds_script_case_and_hyphens(db):
    assert candidate_dedupe_key("催產素", "Short-chain fatty acid", "") == candidate_dedupe_key(
        "催产素", "short chain fatty acid", ""
    )


def test_reject_is_final(db):
    candidate = add_candidate(db, "焦虑", "anxiety")
    reject_candidate(db.session, candidate.id, None)
    with pytest.raises(Conflict):
        approve_candidate(db.session, candidate.id, None)


def test_merge_suggestion_and_merge_of_abbreviation_variants(db):
    first = add_candidate(db, "5-羟色胺", "", "5-HT")
    concept = approve_candidate(db.session, first.id, None)
    second = add_candidate(db, "5-羟色胺", "5-hydroxytryptamine", "5-HT")
    assert [c.id for c in suggest_concepts(db.session, second.zh, second.en, second.abbr)] == [concept.id]
    merge_candidate(db.session, second.id, concept.id, None)
    db.session.commit()
    texts = sorted((t.lang, t.kind, t.text) for t in concept.terms)
    assert texts == [("en", "abbreviation", "5-HT"), ("en", "full", "5-hydroxytryptamine"), ("zh", "full", "5-羟色胺")]
    assert concept.version == 2
    assert db.session.scalar(select(Concept).where(Concept.id != concept.id)) is None


def test_approving_an_exact_duplicate_merges_instead(db):
    create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None)
    candidate = add_candidate(db, "催產素", "Oxytocin")
    concept = approve_candidate(db.session, candidate.id, None)
    assert candidate.status == "merged"
    assert len(db.session.scalars(select(Concept)).all()) == 1
    assert concept.terms_of("zh")[0].text == "催产素"


def test_bulk_approve_is_all_or_nothing(db):
    good = add_candidate(db, "焦虑", "anxiety")
    bad = add_candidate(db, "", "", "X")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        bulk_approve(db.session, [good.id, bad.id], None)
    db.session.rollback()
    assert db.session.get(Candidate, good.id).status == "new"
    assert db.session.scalars(select(Concept)).all() == []


def test_rejection_is_in_the_audit_trail(db):
    from glossary.models import Revision

    candidate = add_candidate(db, "焦虑", "anxiety")
    reject_candidate(db.session, candidate.id, None)
    revision = db.session.scalar(select(Revision).where(Revision.action == "reject"))
    assert revision.before["status"] == "new" and revision.after == {
        "candidate_id": candidate.id,
        "zh": "焦虑",
        "en": "anxiety",
        "abbr": "",
        "status": "rejected",
    }


def test_split_scripts_keeps_traditional_as_written_and_derives_the_simplified():
    assert split_scripts("閉鎖小帶蛋白-1") == ("閉鎖小帶蛋白-1", "闭锁小带蛋白-1")
    assert split_scripts("闭锁小带蛋白-1") == ("", "闭锁小带蛋白-1")
    assert split_scripts("5-羟色胺", "血清素") == ("血清素", "5-羟色胺")  # the curator's form wins


def test_plan_merge_explains_each_term_and_an_abbreviation_plural_stays_unticked(db):
    concept = create_concept(
        db.session,
        {
            "terms": [
                {"text": "短链脂肪酸"},
                {"text": "short-chain fatty acid"},
                {"text": "SCFA", "kind": "abbreviation"},
            ]
        },
        None,
    )
    candidate = add_candidate(db, "短链脂肪酸", "short chain fatty acids", "SCFAs")
    plan = {o["text"]: o for o in plan_merge(db.session, candidate.id, concept.id)}
    assert plan["短链脂肪酸"]["present"] and not plan["短链脂肪酸"]["add"]
    assert not plan["SCFAs"]["add"] and "SCFA" in plan["SCFAs"]["reason"]
    assert not plan["short chain fatty acids"]["add"]
    merge_candidate(db.session, candidate.id, concept.id, None)
    assert sorted(t.text for t in concept.terms) == ["SCFA", "short-chain fatty acid", "短链脂肪酸"]
    assert concept.terms_of("zh")[0].count == 1  # seen again: counted


def test_restore_only_a_rejected_candidate(db):
    candidate = add_candidate(db, "研究", "study")
    with pytest.raises(Conflict):
        restore_candidate(db.session, candidate.id, None)
    reject_candidate(db.session, candidate.id, None)
    assert restore_candidate(db.session, candidate.id, None).status == "new"
    assert approve_candidate(db.session, candidate.id, None).id  # reviewable again
