"""The search page in a real browser: the queries translators type (issue 13).

A curator adds two concepts with the concept form; a reader then finds them by
an abbreviation prefix, a Greek letter spelled out, Chinese typed without its
hyphen, and sees the glossary terms inside a longer query listed under the hits.
"""

from __future__ import annotations

import pytest

from .test_curation_flow import expect, log_in, shoot

pytestmark = pytest.mark.browser


def add_concept(page, base: str, terms: list[tuple[str, str, str]]) -> None:
    page.goto(f"{base}/concepts/new")
    for row, (lang, text, kind) in enumerate(terms, start=1):  # the blank rows are numbered from 1
        page.select_option(f"select[name=terms-{row}-lang]", lang)
        page.fill(f"input[name=terms-{row}-text]", text)
        page.select_option(f"select[name=terms-{row}-kind]", kind)
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Concept created")


def test_translators_queries_on_the_search_page(live_server, new_page, screenshot_dir):
    page = new_page()
    log_in(page, live_server)
    add_concept(
        page,
        live_server,
        [("zh", "肿瘤坏死因子-α", "full"), ("en", "tumour necrosis factor-α", "full"), ("en", "TNF-α", "abbreviation")],
    )
    add_concept(page, live_server, [("zh", "肠-脑轴", "full"), ("en", "gut-brain axis", "full")])

    for query, expected in (("TNF", "肿瘤坏死因子-α"), ("tnf-alpha", "肿瘤坏死因子-α"), ("肠脑轴", "肠-脑轴")):
        page.goto(f"{live_server}/")
        page.fill("input[name=q]", query)
        page.keyboard.press("Enter")
        expect(page.locator(".search-results .result").first).to_contain_text(expected)

    # A longer query: nothing matches it whole; the term inside it is offered, and leads to its concept.
    page.goto(f"{live_server}/?q=肠脑轴失调")
    expect(page.locator(".in-query")).to_contain_text("In your query:")
    expect(page.locator(".in-query a")).to_have_text("肠-脑轴")
    shoot(page, screenshot_dir, "search-in-query")
    page.locator(".in-query a").click()
    expect(page.locator("h1")).to_contain_text("肠-脑轴")
