"""The writer's check in a real browser: paste a draft, check it, click an item, the draft shows the place.

The draft is long enough that the marked copy scrolls; following an item's
link must bring its place into the scrolled box and mark it (``:target``),
and the strict Content-Security-Policy must not block anything on the way.
"""

from __future__ import annotations

import pytest

from .test_curation_flow import expect, shoot

pytestmark = pytest.mark.browser

FILLER = "本段为虚构的填充文字，用于让草稿足够长，以便检查页面中的标注草稿需要滚动。\n"
DRAFT = (
    FILLER * 40 + "慢性应激时 QZX 过度激活，随后下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，"
    "HPA）持续亢进，HPA 负反馈受损。\n" + FILLER * 20
)


def test_an_item_scrolls_the_draft_to_its_marked_place(live_server, new_page, screenshot_dir):
    page = new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{live_server}/check")
    page.fill("textarea[name=text]", DRAFT)
    page.click("main form.check-form button[type=submit]")
    expect(page.locator("#report-heading")).to_contain_text("1 item")
    item = page.locator(".check-item.kind-undefined")
    expect(item).to_contain_text("QZX")
    start = DRAFT.index("QZX")
    expect(item).to_contain_text(f"line 41, column {start - DRAFT.rfind(chr(10), 0, start)}")
    draft_box = page.locator("#check-draft")
    place = page.locator(f"#at-{start}-{start + 3}")
    assert not _inside(draft_box, place), "the place starts out of view, below the fold of the draft box"

    item.locator("a.goto").click()
    expect(page).to_have_url(f"{live_server}/check#at-{start}-{start + 3}")
    assert place.evaluate("element => element.matches(':target')")
    assert place.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    expect(place).to_have_text("QZX")
    page.wait_for_function(
        "id => { const e = document.getElementById(id), b = document.getElementById('check-draft');"
        " const r = e.getBoundingClientRect(), c = b.getBoundingClientRect();"
        " return r.top >= c.top && r.bottom <= c.bottom; }",
        arg=f"at-{start}-{start + 3}",
    )
    assert _inside(draft_box, place)
    shoot(page, screenshot_dir, "check-item-followed")
    assert refused == []


def _inside(box, element) -> bool:
    outer, inner = box.bounding_box(), element.bounding_box()
    return outer["y"] <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
