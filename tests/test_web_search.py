"""The search page and the abbreviation check page, through the test client."""

from __future__ import annotations

import re

import pytest

from .test_search import add_sample_glossary


@pytest.fixture()
def glossary(db):
    return add_sample_glossary(db.session)


def page_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_results_show_every_field_and_link_to_the_concept(client, glossary):
    html = page_text(client.get("/?q=HPA"))
    concept_id = glossary["下丘脑-垂体-肾上腺轴"]
    assert f'href="/concepts/{concept_id}"' in html
    for shown in (
        "下丘脑-垂体-肾上腺轴",
        "下丘腦-垂體-腎上腺軸",
        "xià qiū nǎo chuí tǐ shèn shàng xiàn zhóu",
        "hypothalamic-pituitary-adrenal axis",
        "<mark>HPA</mark>",
        "test",
    ):
        assert shown in html


def test_the_matched_part_is_marked(client, glossary):
    html = page_text(client.get("/?q=肾上腺"))
    assert "<mark>肾上腺</mark>素" in html and "下丘脑-垂体-<mark>肾上腺</mark>轴" in html
    html = page_text(client.get("/?q=short chain fatty"))
    assert "<mark>short-chain fatty</mark> acid" in html
    assert '<span class="pinyin" lang="zh-Latn-pinyin"><mark>cuī chǎn sù</mark>' in page_text(
        client.get("/?q=cuichansu")
    )


def test_traditional_script_on_request(client, glossary):
    html = page_text(client.get("/?q=肾上腺&script=zh-Hant"))
    assert "<mark>腎上腺</mark>素" in html
    assert 'lang="zh-Hant"' in html and 'name="script" value="zh-Hant"\n             checked' in html


def test_everything_is_escaped(client, db):
    from glossary.services.concepts import create_concept

    create_concept(db.session, {"terms": [{"text": "毒素<b>"}, {"text": "<script>alert(1)</script> toxin"}]}, None)
    db.session.commit()
    html = page_text(client.get("/?q=<script>alert(1)</script>"))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = page_text(client.get("/?q=毒素"))
    assert "<mark>毒素</mark>&lt;b&gt;" in html and "<b>" not in html


def test_nothing_found_and_empty_query(client, glossary):
    assert "Nothing found" in page_text(client.get("/?q=zzzqqq"))
    html = page_text(client.get("/"))
    assert "search-results" not in html and 'name="q"' in html


def test_paging(client, db):
    from glossary.services.concepts import create_concept

    for i in range(25):
        create_concept(db.session, {"terms": [{"text": f"受体{i:02d}号"}, {"text": f"receptor {i}"}]}, None)
    db.session.commit()
    first = page_text(client.get("/?q=受体"))
    assert "25 concepts" in first and "Page 1 of 2" in first and 'rel="next"' in first
    assert len(re.findall(r'class="card result"', first)) == 20
    second = page_text(client.get("/?q=受体&page=2"))
    assert len(re.findall(r'class="card result"', second)) == 5 and 'rel="prev"' in second
    assert page_text(client.get("/?q=受体&page=abc")).count('class="card result"') == 20


def test_check_page_shows_the_report_with_highlights(client, glossary):
    assert 'name="text"' in page_text(client.get("/check"))
    draft = "HPA 升高。下丘脑-垂体-肾上腺轴（HPA）与 <b>应激</b> 有关，HPA 激活；IL-6 升高。"
    html = page_text(client.post("/check", data={"text": draft}))
    assert "2 items" in html
    assert "before its definition" in html and "never defined" in html
    # each item links to its marked place, and each mark back to its item
    assert '<a class="goto" href="#at-0-3">line 1, column 1</a>' in html
    assert re.search(r'<mark id="at-0-3" class="place severity-error"[^>]*><a href="#item-1">HPA</a></mark>', html)
    assert '<a href="#item-2">IL-6</a>' in html
    assert "&lt;b&gt;应激&lt;/b&gt;" in html and "<b>" not in html


def test_check_page_clean_draft_and_too_long(client, glossary):
    assert "No abbreviation issues" in page_text(client.post("/check", data={"text": "没有缩写。"}))
    too_long = client.post("/check", data={"text": "字" * 200_001})
    assert too_long.status_code == 413 and too_long.mimetype == "text/html"
    assert "check it in parts" in too_long.get_data(as_text=True)


def test_check_is_in_the_navigation(client):
    assert 'href="/check"' in page_text(client.get("/"))
