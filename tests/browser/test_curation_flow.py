"""A curator's day in a real browser: upload an article, review what was mined, find the result.

Runs Debian's Chromium against a live server (CSRF on) and saves full-page
screenshots of the review, search and concept pages; their paths are printed
(``pytest -s`` shows them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import CURATOR

pytestmark = pytest.mark.browser

ARTICLE = Path(__file__).parent / "data" / "melatonin_review.txt"
ARTICLE_TITLE = "褪黑素治疗昼夜节律睡眠-觉醒障碍的研究进展"
SMALL_ARTICLE = Path(__file__).parent / "data" / "pylori_note.txt"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", CURATOR[0])
    page.fill("input[name=password]", CURATOR[1])
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Logged in")


def card(page, english: str):
    """The queue card whose English term is exactly ``english``."""
    return page.locator("#queue .candidate").filter(
        has=page.locator(".pair .en", has_text=re.compile(f"^{re.escape(english)}$"))
    )


def shoot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_upload_review_search_and_read(live_server, new_page, screenshot_dir):
    page = new_page()
    log_in(page, live_server)

    # Upload: the script sends the file and shows its progress, then the sources list.
    page.goto(f"{live_server}/documents")
    page.set_input_files("input[name=files]", str(ARTICLE))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#upload-progress .done")).to_contain_text("candidates", timeout=60_000)
    expect(page.locator("#sources")).to_contain_text(ARTICLE_TITLE)
    page.locator("#sources a", has_text="Review").first.click()
    expect(page.locator("h1 .sub")).to_contain_text(ARTICLE_TITLE)
    for english in ("melatonin", "suprachiasmatic nucleus", "randomized controlled trial"):
        expect(card(page, english)).to_have_count(1)
    shoot(page, screenshot_dir, "review")

    # Approve with the keyboard: select the card, press "a".
    card(page, "melatonin").locator(".pair").click()
    expect(card(page, "melatonin")).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("a")
    expect(page.locator(".flash-success")).to_contain_text("Approved 褪黑素 · melatonin")

    # Edit, then approve: correct the entry and give it a domain.
    card(page, "suprachiasmatic nucleus").locator("[data-action=edit]").click()
    page.fill("input[name=zh]", "视交叉上核")
    page.fill("input[name=en]", "suprachiasmatic nucleus")
    page.fill("input[name=abbr]", "SCN")
    page.click("button:has-text('Approve as a new concept')")
    expect(page.locator(".flash-success")).to_contain_text("Approved 视交叉上核 · suprachiasmatic nucleus · SCN")

    # Reject a third; it leaves the queue.
    card(page, "randomized controlled trial").locator("[data-action=reject]").click()
    expect(page.locator(".flash-success")).to_contain_text("will not be proposed again")
    expect(card(page, "randomized controlled trial")).to_have_count(0)

    # Search by English, then by pinyin, and open the concept.
    page.goto(f"{live_server}/?q=melatonin")
    expect(page.locator("main")).to_contain_text("褪黑素")
    page.goto(f"{live_server}/?q=tuiheisu")
    expect(page.locator("main")).to_contain_text("褪黑素")
    shoot(page, screenshot_dir, "search")
    page.locator("main a[href*='/concepts/']", has_text="褪黑素").first.click()

    # The concept page: terms, the evidence sentence with the term marked, the history.
    expect(page.locator("h1")).to_contain_text("褪黑素")
    expect(page.locator("#evidence")).to_contain_text("松果体")
    expect(page.locator("#evidence mark").first).to_have_text(re.compile("褪黑素|melatonin"))
    expect(page.locator("#evidence cite").first).to_contain_text(ARTICLE_TITLE)
    expect(page.locator("#history")).to_contain_text("approve")
    expect(page.locator("#history")).to_contain_text(CURATOR[0])
    shoot(page, screenshot_dir, "concept")


def test_upload_and_review_without_javascript(live_server, new_page):
    """The plain forms work with no script at all (a strict CSP or an old browser)."""
    page = new_page(javascript=False)
    log_in(page, live_server)
    page.goto(f"{live_server}/documents")
    page.set_input_files("input[name=files]", str(SMALL_ARTICLE))
    page.click("#upload-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(SMALL_ARTICLE.name)
    page.goto(f"{live_server}/review")
    pylori = card(page, "Helicobacter pylori")
    expect(pylori).to_have_count(1)
    pylori.locator("[data-action=approve]").click()
    expect(page.locator(".flash-success")).to_contain_text("Approved 幽门螺杆菌")
    expect(card(page, "Helicobacter pylori")).to_have_count(0)
