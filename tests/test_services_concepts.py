"""Concept services: validation, optimistic locking, revisions and revert."""

import pytest

from glossary.errors import Conflict, ValidationFailed
from glossary.models import Concept
from glossary.services.concepts import create_concept, delete_concept, revert_revision, update_concept
from glossary.services.revisions import concept_history

OXYTOCIN = {
    "domain": "neuroendocrinology",
    "terms": [
        {"lang": "zh", "text": "催产素"},
        {"lang": "en", "text": "oxytocin"},
    ],
}


def test_create_records_a_revision(db):
    concept = create_concept(db.session, OXYTOCIN, actor=None)
    db.session.commit()
    history = concept_history(db.session, concept.id)
    assert [r.action for r in history] == ["create"]
    assert history[0].after["terms"][0]["text"] == "催产素"


def test_language_is_inferred_and_validated(db):
    concept = create_concept(
        db.session, {"terms": [{"text": "催产素"}, {"text": "OT", "kind": "abbreviation"}]}, actor=None
    )
    assert [(t.lang, t.kind) for t in concept.terms] == [("zh", "full"), ("en", "abbreviation")]
    with pytest.raises(ValidationFailed, match="Chinese characters"):
        create_concept(db.session, {"terms": [{"lang": "zh", "text": "oxytocin"}]}, actor=None)
    with pytest.raises(ValidationFailed, match="at least one term"):
        create_concept(db.session, {"terms": []}, actor=None)
    with pytest.raises(ValidationFailed, match="status"):
        create_concept(db.session, {"terms": [{"text": "x", "status": "great"}]}, actor=None)


def test_stale_edit_is_a_conflict_with_both_versions(db):
    concept = create_concept(db.session, OXYTOCIN, actor=None)
    db.session.commit()
    update_concept(db.session, concept.id, {"definition": "A hormone."}, None, expected_version=1)
    db.session.commit()
    with pytest.raises(Conflict) as info:
        update_concept(db.session, concept.id, {"definition": "A peptide."}, None, expected_version=1)
    db.session.rollback()
    assert info.value.details["current"]["definition"] == "A hormone."
    assert info.value.details["yours"]["definition"] == "A peptide."
    assert db.session.get(Concept, concept.id).definition == "A hormone."


def test_term_edit_bumps_the_version(db):
    concept = create_concept(db.session, OXYTOCIN, actor=None)
    db.session.commit()
    terms = OXYTOCIN["terms"] + [{"lang": "en", "text": "OT", "kind": "abbreviation"}]
    update_concept(db.session, concept.id, {"terms": terms}, None, expected_version=1)
    db.session.commit()
    assert concept.version == 2
    assert sorted(t.text for t in concept.terms) == ["OT", "oxytocin", "催产素"]


def test_revert_an_edit_and_a_deletion(db):
    concept = create_concept(db.session, OXYTOCIN, actor=None)
    db.session.commit()
    update_concept(db.session, concept.id, {"terms": [{"text": "缩宫素"}, {"text": "oxytocin"}]}, None, 1)
    db.session.commit()
    edit = concept_history(db.session, concept.id)[0]
    revert_revision(db.session, edit.id, None)
    db.session.commit()
    assert sorted(t.text for t in concept.terms) == ["oxytocin", "催产素"]

    concept_id = concept.id
    delete_concept(db.session, concept_id, None)
    db.session.commit()
    assert db.session.get(Concept, concept_id) is None
    deletion = concept_history(db.session, concept_id)[0]
    assert deletion.action == "delete"
    revert_revision(db.session, deletion.id, None)
    db.session.commit()
    restored = db.session.get(Concept, concept_id)
    assert sorted(t.text for t in restored.terms) == ["oxytocin", "催产素"]


def test_restoring_a_deleted_concept_links_its_evidence_again(db):
    from glossary.models import Evidence, Source

    concept = create_concept(db.session, OXYTOCIN, actor=None)
    source = Source(filename="a.txt", sha256="e" * 64)
    db.session.add(source)
    db.session.flush()
    db.session.add(
        Evidence(
            source_id=source.id, concept_id=concept.id, term="催产素", sentence="催产素（oxytocin）", start=0, end=3
        )
    )
    db.session.commit()
    concept_id = concept.id
    delete_concept(db.session, concept_id, None)
    db.session.commit()
    revert_revision(db.session, concept_history(db.session, concept_id)[0].id, None)
    db.session.commit()
    assert [e.sentence for e in db.session.get(Concept, concept_id).evidence] == ["催产素（oxytocin）"]


@pytest.mark.parametrize(
    "bad",
    [
        {"text": "催产素", "lang": ["zh"]},
        {"text": "HPA", "kind": 7},
        {"text": "HPA", "status": {"x": 1}},
        {"text": "HPA", "count": 2**40},
        {"text": "HPA", "count": -1},
        {"text": "HPA", "count": True},
    ],
)
def test_malformed_term_fields_are_refused(db, bad):
    with pytest.raises(ValidationFailed):
        create_concept(db.session, {"terms": [bad]}, actor=None)
