"""Concept pages: terms, evidence, history; editing with optimistic locking; delete; revert."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from glossary.models import Concept, Evidence, Revision
from glossary.services.domains import add_domain

from .test_web_support import add_candidate, add_concept, add_source, concept_form_values, logged_in

# The domains the forms may choose (a managed list: a name off the list is refused).
DOMAINS = ("biochemistry", "endocrinology", "immunology", "neurology", "oncology", "psychiatry")


@pytest.fixture()
def curator(db, client):
    for name in DOMAINS:
        add_domain(db.session, name)
    db.session.commit()
    return logged_in(db, client, "curator")


def test_concept_page_shows_terms_evidence_and_history(db, client):
    source = add_source(db, "oxytocin.txt", "基于催产素的抗焦虑作用")
    concept = add_concept(db, "催产素", "oxytocin", "OXT", domain="neuroendocrinology", definition="一种神经肽。")
    db.session.add(
        Evidence(
            source=source,
            concept_id=concept.id,
            term="催产素",
            sentence="近年来，催产素（oxytocin，OXT）因其抗焦虑作用引起了关注。",
            start=10,
            end=13,
        )
    )
    db.session.commit()
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "催产素" in html and "oxytocin" in html and "OXT" in html
    assert "催產素" in html  # traditional form
    assert "cuī chǎn sù" in html  # pinyin
    assert "neuroendocrinology" in html and "一种神经肽。" in html
    assert "<mark>催产素</mark>" in html and "<mark>oxytocin</mark>" in html
    assert "基于催产素的抗焦虑作用" in html  # the source is named
    assert 'id="history"' in html and "starter" not in html and "create" in html


def test_unknown_concept_is_404(client):
    assert client.get("/concepts/999").status_code == 404


def test_anonymous_sees_no_edit_controls(db, client):
    concept = add_concept(db, "焦虑", "anxiety")
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "/edit" not in html and "/revert" not in html


def edit_form(concept, **overrides):
    """The form as the edit page would post it for this concept."""
    data = {
        "version": str(concept.version),
        "domain": concept.domain or "",
        "definition": "",
        "note": "",
        "status": "approved",
    }
    for i, term in enumerate(concept.terms):
        data.update(
            {
                f"terms-{i}-lang": term.lang,
                f"terms-{i}-text": term.text,
                f"terms-{i}-kind": term.kind,
                f"terms-{i}-status": term.status,
            }
        )
    data.update(overrides)
    return data


def test_edit_adds_and_removes_terms_and_records_a_revision(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    page = curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page or 'value="1"' in page
    form = edit_form(
        concept,
        domain="psychiatry",
        **{
            "terms-1-remove": "y",
            "terms-2-lang": "en",
            "terms-2-text": "anxiety disorder",
            "terms-2-kind": "full",
            "terms-2-status": "preferred",
            "terms-3-lang": "",
            "terms-3-text": "焦慮症",
            "terms-3-kind": "variant",
            "terms-3-status": "admitted",
        },
    )
    response = curator.post(f"/concepts/{concept.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    concept = db.session.get(Concept, concept.id)
    assert concept.domain == "psychiatry" and concept.version == 2
    assert {(t.lang, t.text, t.status) for t in concept.terms} == {
        ("zh", "焦虑", "preferred"),
        ("en", "anxiety disorder", "preferred"),
        ("zh", "焦慮症", "admitted"),
    }
    revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision.action == "update" and revision.user_name == "cora"
    history = curator.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "psychiatry" in history and "term removed" in history and "anxiety disorder" in history


def test_stale_edit_shows_both_versions_and_keeps_mine(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    stale = edit_form(concept, definition="我的定义：一种负性情绪。")
    # Someone else saves first.
    assert curator.post(f"/concepts/{concept.id}/edit", data=edit_form(concept, domain="psychiatry")).status_code == 302
    response = curator.post(f"/concepts/{concept.id}/edit", data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Theirs" in html and "Yours" in html and "psychiatry" in html
    refilled = concept_form_values(html)
    assert refilled["definition"] == "我的定义：一种负性情绪。"  # nothing typed is lost
    assert refilled["domain"] == "psychiatry"  # and their change, which I did not touch, is kept
    assert refilled["version"] == "2"  # their version: saving the form applies mine on top
    db.session.expire_all()
    assert db.session.get(Concept, concept.id).definition is None
    assert curator.post(f"/concepts/{concept.id}/edit", data=refilled).status_code == 302
    db.session.expire_all()
    concept = db.session.get(Concept, concept.id)
    assert (concept.definition, concept.domain, concept.version) == ("我的定义：一种负性情绪。", "psychiatry", 3)


def test_a_stale_edit_of_the_same_field_names_the_clash(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    stale = edit_form(concept, domain="psychiatry")
    curator.post(f"/concepts/{concept.id}/edit", data=edit_form(concept, domain="neurology"))
    html = curator.post(f"/concepts/{concept.id}/edit", data=stale).get_data(as_text=True)
    assert "You both changed:</strong> domain" in html
    assert concept_form_values(html)["domain"] == "psychiatry"


def test_a_conflict_keeps_a_new_term_typed_without_a_language(db, curator):
    concept = add_concept(db, "催产素", "oxytocin")
    mine = edit_form(
        concept,
        note="鼻喷剂型",
        **{
            "terms-2-lang": "",
            "terms-2-text": "缩宫素",
            "terms-2-kind": "variant",
            "terms-2-status": "admitted",
            "terms-1-remove": "y",
        },
    )
    theirs = edit_form(
        concept,
        domain="endocrinology",
        **{"terms-2-lang": "en", "terms-2-text": "OT", "terms-2-kind": "abbreviation", "terms-2-status": "preferred"},
    )
    curator.post(f"/concepts/{concept.id}/edit", data=theirs)
    response = curator.post(f"/concepts/{concept.id}/edit", data=mine)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "缩宫素 (zh, variant, admitted)" in html  # shown in "yours" and in the change list
    assert curator.post(f"/concepts/{concept.id}/edit", data=concept_form_values(html)).status_code == 302
    db.session.expire_all()
    concept = db.session.get(Concept, concept.id)
    assert (concept.domain, concept.note) == ("endocrinology", "鼻喷剂型")
    assert {t.text for t in concept.terms} == {"催产素", "缩宫素", "OT"}  # my deletion of oxytocin, their OT


def test_invalid_edit_is_refused_with_a_message(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    form = edit_form(concept, **{"terms-0-lang": "zh", "terms-0-text": "anxiety only latin"})
    response = curator.post(f"/concepts/{concept.id}/edit", data=form)
    assert response.status_code == 422
    assert "Chinese characters" in response.get_data(as_text=True)


def test_revert_puts_the_concept_back(db, curator):
    concept = add_concept(db, "焦虑", "anxiety", domain="psychiatry")
    curator.post(f"/concepts/{concept.id}/edit", data=edit_form(concept, domain="oncology"))
    update = db.session.scalar(select(Revision).where(Revision.action == "update"))
    response = curator.post(f"/revisions/{update.id}/revert")
    assert response.status_code == 302
    db.session.expire_all()
    concept = db.session.get(Concept, concept.id)
    assert concept.domain == "psychiatry" and concept.version == 3
    assert "revert" in curator.get(f"/concepts/{concept.id}").get_data(as_text=True)


def test_delete_needs_confirmation_and_can_be_restored(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    assert "Tick the box" not in curator.get(f"/concepts/{concept.id}/delete").get_data(as_text=True)
    refused = curator.post(f"/concepts/{concept.id}/delete", data={"version": "1"})
    assert refused.status_code == 200 and db.session.get(Concept, concept.id) is not None
    done = curator.post(f"/concepts/{concept.id}/delete", data={"version": "1", "confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Concept, concept.id) is None
    gone = curator.get(f"/concepts/{concept.id}")
    assert gone.status_code == 404 and "was deleted" in gone.get_data(as_text=True)
    deletion = db.session.scalar(select(Revision).where(Revision.action == "delete"))
    curator.post(f"/revisions/{deletion.id}/revert")
    db.session.expire_all()
    assert {t.text for t in db.session.get(Concept, concept.id).terms} == {"焦虑", "anxiety"}


def test_new_concept(db, curator):
    assert curator.get("/concepts/new").status_code == 200
    response = curator.post(
        "/concepts/new",
        data={
            "version": "",
            "domain": "immunology",
            "status": "approved",
            "terms-0-lang": "",
            "terms-0-text": "白细胞介素-6",
            "terms-0-kind": "full",
            "terms-0-status": "preferred",
            "terms-1-lang": "",
            "terms-1-text": "interleukin-6",
            "terms-1-kind": "full",
            "terms-1-status": "preferred",
            "terms-2-lang": "",
            "terms-2-text": "IL-6",
            "terms-2-kind": "abbreviation",
            "terms-2-status": "preferred",
        },
    )
    assert response.status_code == 302
    concept = db.session.scalar(select(Concept))
    assert {(t.lang, t.kind) for t in concept.terms} == {("zh", "full"), ("en", "full"), ("en", "abbreviation")}


def test_approved_candidate_evidence_is_on_its_concept_page(db, curator):
    candidate = add_candidate(
        db, "毛螺菌科", "Lachnospiraceae", sentence="肠道中毛螺菌科（Lachnospiraceae）的丰度下降。"
    )
    curator.post(f"/review/{candidate.id}/approve")
    db.session.expire_all()
    concept = db.session.scalar(select(Concept))
    html = curator.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "肠道中<mark>毛螺菌科</mark>（<mark>Lachnospiraceae</mark>）的丰度下降。" in html
    assert "approve" in html


def new_concept_form(zh: str, en: str, **extra) -> dict[str, str]:
    return {
        "version": "",
        "domain": "",
        "status": "approved",
        "terms-0-lang": "",
        "terms-0-text": zh,
        "terms-0-kind": "full",
        "terms-0-status": "preferred",
        "terms-1-lang": "",
        "terms-1-text": en,
        "terms-1-kind": "full",
        "terms-1-status": "preferred",
        **extra,
    }


def test_a_duplicate_new_concept_is_refused_with_a_link_unless_ticked_homonym(db, curator):
    existing = add_concept(db, "催产素", "oxytocin")
    page = curator.get("/concepts/new").get_data(as_text=True)
    assert 'name="homonym"' in page
    assert 'name="homonym"' not in curator.get(f"/concepts/{existing.id}/edit").get_data(as_text=True)
    refused = curator.post("/concepts/new", data=new_concept_form("催產素", "Oxytocin"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert f'href="/concepts/{existing.id}"' in html and "homonym" in html
    assert concept_form_values(html)["terms-0-text"] == "催產素"  # what was typed is kept
    assert len(db.session.scalars(select(Concept)).all()) == 1
    created = curator.post("/concepts/new", data=new_concept_form("催產素", "Oxytocin", homonym="y"))
    assert created.status_code == 302
    assert len(db.session.scalars(select(Concept)).all()) == 2
