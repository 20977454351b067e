"""Issue 15's pages: domains as a managed list, browsing, deleted concepts, curated traditional forms,
the script kept for the visit, and the small things every page shows (lang, favicon, log-in fields)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from glossary.models import Concept, ConceptRelation, Domain, Revision, TermNote
from glossary.services.domains import add_domain

from .test_web_support import add_candidate, add_concept, concept_form_values, logged_in, login


@pytest.fixture()
def curator(db, client):
    return logged_in(db, client, "curator")


@pytest.fixture()
def admin(db, client):
    return logged_in(db, client, "admin")


# --- domains ------------------------------------------------------------------


def test_admin_adds_renames_and_merges_domains_refiling_concepts(db, admin):
    page = admin.post("/admin/domains", data={"name": "  gut   microbiology "}, follow_redirects=True)
    assert "Added the domain “gut microbiology”" in page.get_data(as_text=True)
    again = admin.post("/admin/domains", data={"name": "Gut Microbiology"}, follow_redirects=True)
    assert "exists already" in again.get_data(as_text=True)
    assert admin.post("/admin/domains", data={"name": ""}, follow_redirects=True).status_code == 200
    lps = add_concept(db, "脂多糖", "lipopolysaccharide", domain="gut microbiology")
    add_concept(db, "肠道菌群", "gut microbiota", domain="microbiology")
    gut = db.session.scalar(select(Domain).where(Domain.name == "gut microbiology"))
    micro = db.session.scalar(select(Domain).where(Domain.name == "microbiology"))
    # Renaming onto another domain's name is refused: that is a merge.
    refused = admin.post(f"/admin/domains/{gut.id}/rename", data={"name": "Microbiology"}, follow_redirects=True)
    assert "merge into it instead" in refused.get_data(as_text=True)
    merged = admin.post(f"/admin/domains/{gut.id}/merge", data={"target": str(micro.id)}, follow_redirects=True)
    assert "Merged; 1 concept refiled." in merged.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Concept, lps.id).domain == "microbiology"
    assert db.session.scalars(select(Domain.name)).all() == ["microbiology"]
    assert (
        db.session.scalar(select(Revision.action).where(Revision.concept_id == lps.id).order_by(Revision.id.desc()))
        == "domain"
    )
    renamed = admin.post(f"/admin/domains/{micro.id}/rename", data={"name": "microbiome"}, follow_redirects=True)
    assert "Renamed; 2 concepts refiled." in renamed.get_data(as_text=True)
    db.session.expire_all()
    assert {c.domain for c in db.session.scalars(select(Concept))} == {"microbiome"}


def test_domains_page_is_for_admins_only(db, curator):
    assert curator.get("/admin/domains").status_code == 403
    assert curator.post("/admin/domains", data={"name": "x"}).status_code == 403


def test_approval_prefills_the_domain_of_a_concept_sharing_its_terms(db, curator):
    add_domain(db.session, "immunology")
    add_concept(db, "白细胞介素-6", "interleukin-6", domain="neuroendocrinology")
    db.session.commit()
    candidate = add_candidate(db, "白细胞介素-6", "IL-6 cytokine", "IL-6")
    queue = curator.get("/review").get_data(as_text=True)
    assert '<option value="neuroendocrinology" selected>' in queue
    form = curator.get(f"/review/{candidate.id}/edit").get_data(as_text=True)
    assert '<option selected value="neuroendocrinology">' in form


def test_approving_with_a_domain_off_the_list_is_refused(db, curator):
    candidate = add_candidate(db, "焦虑", "anxiety")
    response = curator.post(f"/review/{candidate.id}/approve", data={"domain": "made-up"}, follow_redirects=True)
    assert "is not on the list of domains" in response.get_data(as_text=True)
    assert db.session.scalar(select(Concept)) is None
    add_domain(db.session, "psychiatry")
    db.session.commit()
    curator.post(f"/review/{candidate.id}/approve", data={"domain": "psychiatry"})
    assert db.session.scalar(select(Concept.domain)) == "psychiatry"


def test_concept_form_offers_the_list_and_refuses_other_names(db, curator):
    add_domain(db.session, "psychiatry")
    concept = add_concept(db, "焦虑", "anxiety")
    html = curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True)
    assert '<option value="psychiatry">psychiatry</option>' in html
    values = concept_form_values(html)
    response = curator.post(f"/concepts/{concept.id}/edit", data={**values, "domain": "psychiatryy"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


# --- browse, counts, deleted ---------------------------------------------------------


def test_browse_orders_by_pinyin_or_english_filters_by_domain_and_counts(db, client):
    add_concept(db, "催产素", "oxytocin", domain="neuroendocrinology")
    add_concept(db, "皮质醇", "cortisol", domain="neuroendocrinology")
    add_concept(db, "焦虑", "anxiety", domain="psychiatry")
    add_concept(db, "", "zeitgeber", "ZT")
    html = client.get("/browse").get_data(as_text=True)
    assert "4 concepts" in html
    assert html.index("催产素") < html.index("焦虑") < html.index("皮质醇")  # cui, jiao, pi
    assert "neuroendocrinology (2)" in html and "psychiatry (1)" in html and "no domain (1)" in html
    english = client.get("/browse?order=en").get_data(as_text=True)
    assert english.index("anxiety") < english.index("cortisol") < english.index("oxytocin") < english.index("zeitgeber")
    filtered = client.get("/browse?domain=neuroendocrinology").get_data(as_text=True)
    assert "2 concepts in neuroendocrinology" in filtered and "焦虑" not in filtered
    by_letter = client.get("/browse?letter=p").get_data(as_text=True)
    assert "皮质醇" in by_letter and "催产素" not in by_letter
    assert "zeitgeber" in client.get("/browse?domain=-").get_data(as_text=True)


def test_home_page_counts_concepts_per_status(db, client):
    add_concept(db, "催产素", "oxytocin")
    add_concept(db, "皮质醇", "cortisol", status="draft")
    add_concept(db, "焦虑", "anxiety")
    html = client.get("/").get_data(as_text=True)
    assert '<span class="count-approved">2 approved</span>' in html
    assert '<span class="count-draft">1 draft</span>' in html


def test_deleting_links_to_the_concept_and_to_the_list_of_deleted_ones(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    page = curator.post(
        f"/concepts/{concept.id}/delete", data={"confirm": "y", "version": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert f'<a href="/concepts/{concept.id}">restore it from its page</a>' in page
    assert '<a href="/concepts/deleted">all deleted concepts</a>' in page
    listed = curator.get("/concepts/deleted").get_data(as_text=True)
    assert f'href="/concepts/{concept.id}">concept {concept.id}</a>' in listed and "焦虑" in listed
    # Restored, it leaves the list.
    delete = db.session.scalar(select(Revision).where(Revision.action == "delete"))
    curator.post(f"/revisions/{delete.id}/revert")
    assert "No concept has been deleted" in curator.get("/concepts/deleted").get_data(as_text=True)


# --- traditional script ------------------------------------------------------------


def test_a_curator_sets_the_traditional_form_of_a_term_and_exports_carry_it(db, curator):
    concept = add_concept(db, "5-羟色胺", "serotonin")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    zh_row = next(k.split("-")[1] for k, v in values.items() if v == "5-羟色胺")
    response = curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{zh_row}-zh_hant": "血清素"})
    assert response.status_code == 302
    db.session.expire_all()
    term = db.session.get(Concept, concept.id).terms_of("zh")[0]
    assert (term.text, term.zh_hant, term.zh_hant_curated) == ("5-羟色胺", "血清素", "血清素")
    page = curator.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert '<span lang="zh-Hant">血清素</span> <span class="tag" title="set by a curator">curated</span>' in page
    assert "traditional form of 5-羟色胺" in page  # the history says what changed
    assert "血清素" in curator.get("/api/v1/export?format=tbx").get_data(as_text=True)
    assert curator.get(f"/api/v1/concepts/{concept.id}").get_json()["zh_hant"] == "血清素"
    # Emptying the field goes back to the conversion.
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    assert values[f"terms-{zh_row}-zh_hant"] == "血清素"
    curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{zh_row}-zh_hant": ""})
    db.session.expire_all()
    term = db.session.get(Concept, concept.id).terms_of("zh")[0]
    assert (term.zh_hant, term.zh_hant_curated) == ("5-羥色胺", None)


def test_a_traditional_form_on_an_english_term_is_refused(db, curator):
    concept = add_concept(db, "焦虑", "anxiety")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    en_row = next(k.split("-")[1] for k, v in values.items() if v == "anxiety")
    response = curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{en_row}-zh_hant": "焦慮"})
    assert response.status_code == 422
    assert "only a Chinese term has a traditional form" in response.get_data(as_text=True)


def test_the_traditional_choice_is_kept_for_the_visit(db, client):
    concept = add_concept(db, "肾上腺素", "adrenaline")
    assert '<span lang="zh-Hans">肾上腺素</span>' in client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    client.get("/?q=adrenaline&script=zh-Hant")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert '<span lang="zh-Hant">腎上腺素</span>' in page
    assert f'href="/concepts/{concept.id}?script=zh-Hans"' in page  # the switch back, on every page
    assert '<span lang="zh-Hant">腎上腺素</span>' in client.get("/browse").get_data(as_text=True)
    # A search submitted without the box ticked goes back to simplified.
    client.get("/?q=adrenaline")
    assert '<span lang="zh-Hans">肾上腺素</span>' in client.get(f"/concepts/{concept.id}").get_data(as_text=True)


# --- small things -------------------------------------------------------------------


def test_api_answers_utf8_as_is(db, client):
    concept = add_concept(db, "催产素", "oxytocin")
    body = client.get(f"/api/v1/concepts/{concept.id}").get_data()
    assert "催产素".encode() in body and b"\\u50ac" not in body


def test_pages_are_english_with_chinese_marked_and_have_a_favicon(db, client):
    concept = add_concept(db, "催产素", "oxytocin")
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<span lang="zh-Hans">催产素</span>' in html
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/static/favicon.svg").status_code == 200


def test_log_in_fields_say_what_to_autocomplete(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html


def test_review_shortcuts_can_be_turned_off(db, curator):
    add_candidate(db, "催产素", "oxytocin")
    html = curator.get("/review").get_data(as_text=True)
    assert 'id="shortcuts-toggle"' in html
    script = curator.get("/static/review.js").get_data(as_text=True)
    assert "localStorage" in script and "!enabled" in script


def test_my_pages_have_no_empty_table_headers(db, curator, client):
    add_concept(db, "催产素", "oxytocin", domain="x")
    candidate = add_candidate(db, "催产素", "oxytocin hormone")
    for url in (
        "/browse",
        "/concepts/1",
        "/concepts/1/edit",
        "/review",
        "/concepts/deleted",
        f"/review/{candidate.id}/merge?concept_id=1",
    ):
        html = curator.get(url).get_data(as_text=True)
        assert "<th></th>" not in html and '<th scope="col"></th>' not in html, url


def test_no_template_has_an_empty_table_header():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    empty = re.compile(r"<th(?:\s[^>]*)?>\s*</th>")
    assert [str(path) for path in templates.rglob("*.html") if empty.search(path.read_text(encoding="utf-8"))] == []


# --- notes and related concepts --------------------------------------------------------


def test_the_internal_note_is_for_curators_only(db, curator):
    concept = add_concept(db, "催产素", "oxytocin", note="Also called oxytocine in older French texts.")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    response = curator.post(f"/concepts/{concept.id}/edit", data={**values, "internal_note": "Ask Li about 缩宫素."})
    assert response.status_code == 302
    mine = curator.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Ask Li about 缩宫素." in mine and "curators only" in mine
    curator.post("/logout")
    public = curator
    for page in (
        f"/concepts/{concept.id}",
        f"/api/v1/concepts/{concept.id}",
        "/api/v1/export?format=json",
        "/api/v1/export?format=tbx",
        "/api/v1/export?format=csv",
    ):
        body = public.get(page).get_data(as_text=True)
        assert "Ask Li" not in body, page
    assert "Also called oxytocine" in public.get(f"/concepts/{concept.id}").get_data(as_text=True)
    # Saving the form again without a change records nothing new.
    login(curator, "cora")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    assert values["internal_note"] == "Ask Li about 缩宫素."
    before = db.session.scalar(select(func.count()).select_from(Revision))
    curator.post(f"/concepts/{concept.id}/edit", data=values)
    assert db.session.scalar(select(Revision.action).order_by(Revision.id.desc())) == "update"
    assert db.session.scalar(select(func.count()).select_from(Revision)) == before + 1


def test_related_concepts_are_linked_both_ways_and_unlinked(db, curator, client):
    cytokine = add_concept(db, "细胞因子", "cytokine")
    il6 = add_concept(db, "白细胞介素-6", "interleukin-6", "IL-6")
    tnf = add_concept(db, "肿瘤坏死因子", "tumor necrosis factor", "TNF")
    flashed = curator.post(
        f"/concepts/{il6.id}/relations", data={"kind": "broader", "target": "cytokine"}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"Linked concept {cytokine.id} (broader concept)" in flashed
    curator.post(f"/concepts/{il6.id}/relations", data={"kind": "see_also", "target": str(tnf.id)})
    page = curator.get(f"/concepts/{cytokine.id}").get_data(as_text=True)
    assert "narrower concept" in page and "白细胞介素-6" in page
    again = curator.post(
        f"/concepts/{cytokine.id}/relations", data={"kind": "narrower", "target": str(il6.id)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already linked" in again
    itself = curator.post(
        f"/concepts/{il6.id}/relations", data={"kind": "see_also", "target": str(il6.id)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "names 0 other concepts" in itself
    link = db.session.scalar(select(ConceptRelation).where(ConceptRelation.kind == "see_also"))
    curator.post(f"/concepts/{il6.id}/relations/{link.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(ConceptRelation)) == 1
    assert "unrelate" in client.get(f"/concepts/{tnf.id}").get_data(as_text=True)  # in both histories


def test_a_term_has_its_own_public_note_or_source(db, curator):
    concept = add_concept(db, "5-羟色胺", "serotonin")
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    en_row = next(k.split("-")[1] for k, v in values.items() if v == "serotonin")
    note = "INN; also 5-hydroxytryptamine in older texts"
    assert (
        curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{en_row}-note": note}).status_code == 302
    )
    page = curator.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert f'<td data-label="Note">{note}</td>' in page and "note of serotonin (en)" in page
    values = concept_form_values(curator.get(f"/concepts/{concept.id}/edit").get_data(as_text=True))
    assert values[f"terms-{en_row}-note"] == note
    too_long = curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{en_row}-note": "x" * 2001})
    assert too_long.status_code == 422
    # Deleting the term deletes its note with it.
    curator.post(f"/concepts/{concept.id}/edit", data={**values, f"terms-{en_row}-remove": "y"})
    assert db.session.scalar(select(func.count()).select_from(TermNote)) == 0
