"""The concept rulebook (``glossary.models.rules``) on a real database, and the doors that read it.

Each rule once lived in several places that disagreed; these tests pin the one
rule and show each door (page, API, import, review) following it.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from glossary.formats import empty_glossary
from glossary.models import Concept, Revision, Term
from glossary.models.rules import (
    ADD_MISSING,
    FIELD_LIMITS,
    MERGE_CANDIDATE,
    REPLACE,
    concepts_sharing,
    merge_terms,
    ordered_terms,
    term_group_key,
    term_key,
)
from glossary.services.candidates import suggest_concepts, suggestions_for
from glossary.services.concepts import create_concept, find_duplicate

from .test_api_concepts import token_for
from .test_web_support import add_candidate, add_concept, concept_form_values, logged_in

# An invented concept whose terms were entered in an order unlike the one a curator reads them in.
ACTH_TERMS = [
    {"lang": "en", "text": "ACTH", "kind": "abbreviation"},
    {"lang": "en", "text": "adrenocorticotrophin", "kind": "full", "status": "deprecated"},
    {"lang": "en", "text": "corticotropin", "kind": "variant"},
    {"lang": "en", "text": "adrenocorticotropic hormone", "kind": "full"},
    {"lang": "zh", "text": "促皮质素", "kind": "variant", "status": "admitted"},
    {"lang": "zh", "text": "促肾上腺皮质激素", "kind": "full"},
]
ACTH_ORDER = [
    "促肾上腺皮质激素",
    "促皮质素",
    "adrenocorticotropic hormone",
    "corticotropin",
    "ACTH",
    "adrenocorticotrophin",
]


def count_statements(db):
    """A list that fills with every SELECT the database runs until ``event.remove``."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    return seen, record


# --- ordered_terms: one order for the page, the API and the model ---------------------------------------------------


def test_ordered_terms_reads_language_then_status_then_kind_then_age(db):
    concept = create_concept(db.session, {"terms": ACTH_TERMS}, None)
    db.session.commit()
    assert [t.text for t in ordered_terms(concept.terms)] == ACTH_ORDER
    assert [t.text for t in concept.terms_of("en")] == ACTH_ORDER[2:]
    assert [t.text for t in ordered_terms(concept.terms, "en", "full")] == ["adrenocorticotropic hormone",
                                                                         "adrenocorticotrophin"]  # fmt: skip
    # Plain dicts (snapshots) and terms not saved yet (no id: after the saved ones, in the order given).
    snapshot = [{"lang": "en", "text": "b", "status": "preferred"}, {"lang": "en", "text": "a", "id": 7}]
    assert [t["text"] for t in ordered_terms(snapshot)] == ["a", "b"]


def test_the_sql_order_is_the_rulebook_order(db):
    """term_order_by (what annotate's preferred names are picked by) sorts as ordered_terms does."""
    from sqlalchemy import select

    from glossary.models import Term
    from glossary.models.rules import term_order_by

    concept = create_concept(db.session, {"terms": ACTH_TERMS}, None)
    db.session.commit()
    t = Term.__table__.c
    in_sql = db.session.execute(select(t.text).where(t.concept_id == concept.id).order_by(*term_order_by(t)))
    assert list(in_sql.scalars()) == [term.text for term in ordered_terms(concept.terms)] == ACTH_ORDER


def test_the_concept_page_lists_terms_in_the_rulebook_order(db, client):
    """A preferred variant comes before a preferred abbreviation, whichever was entered first."""
    concept = create_concept(db.session, {"terms": ACTH_TERMS}, None)
    db.session.commit()
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    table = html[html.index('<table class="terms">') :]
    positions = [table.index(f">{text}<") for text in ACTH_ORDER]
    assert positions == sorted(positions)


# --- term_key: the one key, stored by the model and used by the merges ----------------------------------------------


def test_term_key_folds_script_case_hyphens_and_greek(db):
    assert term_key("en", "T-cell receptor") == term_key("en", "t cell receptor")
    assert term_key("zh", "促腎上腺皮質激素") == term_key("zh", "促肾上腺皮质激素")
    assert term_key("en", "NF-κB", "abbreviation") == term_key("en", "nfkb", "abbreviation")
    # The same text keyed as a name and as an abbreviation: same key, different groups.
    assert term_group_key("en", "NFKB") != term_group_key("en", "NFKB", "abbreviation")


def test_stored_keys_are_the_rulebook_keys(db):
    concept = create_concept(db.session, {"terms": ACTH_TERMS}, None)
    db.session.commit()
    for term in db.session.scalars(select(Term).where(Term.concept_id == concept.id)):
        assert term.key == term_key(term.lang, term.text, term.kind)


# --- merge_terms: three named policies ------------------------------------------------------------------------------


def test_replace_drops_missing_terms_and_takes_the_new_status(db):
    concept = add_concept(db, "焦虑", "anxiety", "ANX")
    result = merge_terms(
        concept,
        [{"lang": "zh", "text": "焦虑", "kind": "full", "status": "admitted", "count": 3},
         {"lang": "en", "text": "anxiety disorder", "kind": "full", "status": "preferred", "count": 0}],
        REPLACE,
    )  # fmt: skip
    db.session.commit()
    assert [t.text for t in result.removed] == ["anxiety", "ANX"]
    assert [t.text for t in result.added] == ["anxiety disorder"]
    stored = {t.text: (t.status, t.count) for t in db.session.get(Concept, concept.id).terms}
    assert stored == {"焦虑": ("admitted", 3), "anxiety disorder": ("preferred", 0)}


def test_add_missing_keeps_kinds_apart_and_keeps_the_larger_count(db):
    concept = create_concept(
        db.session,
        {"terms": [{"lang": "en", "text": "nuclear factor kappa B", "count": 5},
                   {"lang": "en", "text": "NFKB", "kind": "variant", "status": "admitted"}]},
        None,
    )  # fmt: skip
    incoming = [
        {"lang": "en", "text": "Nuclear factor kappa-B", "kind": "full", "status": "preferred", "count": 2},
        {"lang": "en", "text": "NF-κB", "kind": "abbreviation", "status": "preferred", "count": 4},
    ]
    result = merge_terms(concept, incoming, ADD_MISSING)
    db.session.commit()
    # The abbreviation shares its key with the variant "NFKB" but is not a spelling of a name: it is added.
    assert [(t.text, t.kind) for t in result.added] == [("NF-κB", "abbreviation")]
    assert {t.text: t.count for t in db.session.get(Concept, concept.id).terms} == {
        "nuclear factor kappa B": 5,
        "NFKB": 0,
        "NF-κB": 4,
    }


def test_merge_candidate_counts_again_and_keeps_preferred_terms_preferred(db):
    concept = add_concept(db, "皮质醇", "cortisol")
    db.session.get(Concept, concept.id).terms[0].count = 2
    incoming = [
        {"lang": "zh", "text": "皮質醇", "kind": "full", "status": "preferred", "count": 3},  # the same name
        {"lang": "en", "text": "hydrocortisone", "kind": "full", "status": "preferred", "count": 3},
        {"lang": "en", "text": "CORT", "kind": "abbreviation", "status": "preferred", "count": 3},
    ]
    result = merge_terms(concept, incoming, MERGE_CANDIDATE)
    db.session.commit()
    assert [t.text for t in result.matched] == ["皮质醇"]
    terms = {t.text: (t.kind, t.status, t.count) for t in db.session.get(Concept, concept.id).terms}
    assert terms == {
        "皮质醇": ("full", "preferred", 5),
        "cortisol": ("full", "preferred", 0),
        "hydrocortisone": ("variant", "admitted", 3),
        "CORT": ("abbreviation", "preferred", 3),  # the concept had no abbreviation
    }


def test_review_merge_page_follows_the_candidate_policy(db, client):
    curator = logged_in(db, client, "curator")
    concept = add_concept(db, "皮质醇", "cortisol")
    candidate = add_candidate(db, "皮质醇", "hydrocortisone", "CORT", count=4)
    db.session.commit()
    response = curator.post(
        f"/review/{candidate.id}/merge",
        data={
            "concept_id": str(concept.id),
            "reviewed": "1",
            "add": ["en:full:hydrocortisone", "en:abbreviation:CORT"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    terms = {t.text: (t.kind, t.status, t.count) for t in db.session.get(Concept, concept.id).terms}
    assert terms == {
        "皮质醇": ("full", "preferred", 4),
        "cortisol": ("full", "preferred", 0),
        "hydrocortisone": ("variant", "admitted", 4),
        "CORT": ("abbreviation", "preferred", 4),
    }
    revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision.action == "merge" and revision.concept_id == concept.id


def test_import_adds_an_abbreviation_that_only_shares_a_key_with_a_name(db, runner, tmp_path):
    """Changed behaviour: the import merge matched terms by (language, key) whatever their kind, so the
    abbreviation NF-κB was taken for the stored spelling NFKB of the English name and never added."""
    concept = create_concept(
        db.session,
        {"terms": [{"lang": "zh", "text": "核因子κB"},
                   {"lang": "en", "text": "nuclear factor kappa B"},
                   {"lang": "en", "text": "NFKB", "kind": "variant", "status": "admitted"}]},
        None,
    )  # fmt: skip
    db.session.commit()
    data = empty_glossary("2026-01-01T00:00:00Z")
    data["concepts"] = [
        {"terms": [{"lang": "zh", "text": "核因子κB"},
                   {"lang": "en", "text": "nuclear factor kappa B"},
                   {"lang": "en", "text": "NF-κB", "kind": "abbreviation"}]}
    ]  # fmt: skip
    path = tmp_path / "nfkb.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 merged" in result.output
    db.session.expire_all()
    kinds = {(t.text, t.kind) for t in db.session.get(Concept, concept.id).terms}
    assert ("NF-κB", "abbreviation") in kinds and ("NFKB", "variant") in kinds
    # Importing the same file again finds nothing new.
    again = runner.invoke(args=["import", str(path)])
    assert again.exit_code == 0 and "1 unchanged" in again.output


# --- concepts_sharing: one statement, whatever the number of keys and concepts -------------------------------------


def test_concepts_sharing_finds_by_group_in_one_statement(db):
    first = add_concept(db, "多巴胺", "dopamine", "DA")
    second = add_concept(db, "去甲肾上腺素", "noradrenaline", "NA")
    third = create_concept(db.session, {"terms": [{"lang": "en", "text": "da", "kind": "variant"},
                                                   {"lang": "zh", "text": "达"}]}, None)  # fmt: skip
    db.session.commit()
    keys = {term_group_key("en", "DA", "abbreviation"), term_group_key("zh", "去甲腎上腺素")}
    keys |= {term_group_key("en", f"unknown name {i}") for i in range(3000)}  # many keys, still one statement
    seen, record = count_statements(db)
    try:
        found = concepts_sharing(db.session, keys)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) == 1
    assert {cid: [t.text for t in terms] for cid, terms in found.items()} == {
        first.id: ["DA"],
        second.id: ["去甲肾上腺素"],
    }
    assert third.id not in found  # "da" is an English name here, not the abbreviation


def test_review_queue_suggestions_take_the_same_statements_for_any_number_of_candidates(db):
    concept = add_concept(db, "血清素", "serotonin", "5-HT")
    proposals = {i: ("血清素", f"serotonin {i}", "") for i in range(40)}
    proposals[99] = ("", "", "5HT")
    seen, record = count_statements(db)
    try:
        found = suggestions_for(db.session, proposals)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) == 2  # the shared terms, then the concepts
    assert all([c.id for c in found[i]] == [concept.id] for i in proposals)
    assert [c.id for c in suggest_concepts(db.session, "", "5-ht", "")] == []  # a name is not an abbreviation


def test_suggestions_rank_concepts_sharing_more_names_first(db):
    loose = add_concept(db, "", "anxiety", "ANX")
    close = add_concept(db, "焦虑", "anxiety")
    assert [c.id for c in suggest_concepts(db.session, "焦虑", "anxiety", "")] == [close.id, loose.id]


def test_find_duplicate_names_the_oldest_concept_and_its_terms(db):
    add_concept(db, "催产素", "oxytocin")
    create_concept(db.session, {"terms": [{"lang": "zh", "text": "缩宫素"}, {"lang": "en", "text": "oxytocin"}]},
                   None, action="create")  # fmt: skip
    found = find_duplicate(db.session, [{"lang": "zh", "text": "催產素", "kind": "full"},
                                        {"lang": "en", "text": "Oxytocin", "kind": "full"}])  # fmt: skip
    assert found is not None and found[1:] == ("催产素", "oxytocin")
    assert find_duplicate(db.session, [{"lang": "en", "text": "oxytocin", "kind": "full"}]) is None


# --- FIELD_LIMITS: one table, every door states the limit -----------------------------------------------------------


@pytest.mark.parametrize("field", ["definition", "note"])
def test_the_page_and_the_api_refuse_a_field_over_its_limit_and_say_the_limit(db, client, field):
    limit = FIELD_LIMITS[field]
    concept = add_concept(db, "焦虑", "anxiety")
    headers = token_for(db, "curator")
    response = client.patch(
        f"/api/v1/concepts/{concept.id}", json={field: "x" * (limit + 1), "version": 1}, headers=headers
    )
    assert response.status_code in (400, 422)
    assert str(limit) in response.get_json()["error"]["message"]
    curator = logged_in(db, client, "curator")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    values[field] = "x" * (limit + 1)
    page = curator.post(f"/concepts/{concept.id}/edit", data=values)
    assert page.status_code == 422 and f"At most {limit} characters." in page.get_data(as_text=True)
    values[field] = "x" * limit  # at the limit: taken
    assert curator.post(f"/concepts/{concept.id}/edit", data=values).status_code == 302
    db.session.expire_all()
    assert len(getattr(db.session.get(Concept, concept.id), field)) == limit


def test_an_import_refuses_a_field_over_its_limit_and_writes_nothing(db, runner, tmp_path):
    limit = FIELD_LIMITS["domain"]
    data = empty_glossary("2026-01-01T00:00:00Z")
    data["concepts"] = [
        {"domain": "d" * (limit + 1), "terms": [{"lang": "zh", "text": "褪黑素"}, {"lang": "en", "text": "melatonin"}]}
    ]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert f"domain is longer than {limit} characters" in result.output
    assert db.session.scalars(select(Concept)).all() == []
