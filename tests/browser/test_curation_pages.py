"""Issue 15 in a real browser: reject then restore, a merge that shows what it adds and adds only the chosen
terms, a traditional-script candidate approved as a zh-Hant term, browsing by domain; and screenshots of the
review, concept, browse and check pages at 1280 and 390 px (their paths are printed; ``pytest -s``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ADMIN, CURATOR
from .test_curation_flow import expect

pytestmark = pytest.mark.browser

NOTE = Path(__file__).parent / "data" / "gut_barrier_note.txt"
WIDTHS = (1280, 390)


def log_in(page, base: str, who: tuple[str, str]) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Logged in")


def card(page, english: str):
    return page.locator("#queue .candidate").filter(
        has=page.locator(".pair .en", has_text=re.compile(f"^{re.escape(english)}$"))
    )


def shoot_widths(page, folder: Path, name: str) -> None:
    """The page as a desktop and as a phone (390 px) show it, whole."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = folder / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        # Nothing may be wider than the screen: a phone user would have to scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1 or width > 400, f"{name} is {overflow}px wider than a {width}px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_curation_pages(live_server, new_page, screenshot_dir):
    admin = new_page()
    log_in(admin, live_server, ADMIN)
    admin.goto(f"{live_server}/admin/domains")
    admin.fill("input[name=name]", "gut barrier")
    admin.click("form[action$='/admin/domains'] button[type=submit]")
    expect(admin.locator(".flash-success")).to_contain_text("Added the domain “gut barrier”")

    page = new_page()
    log_in(page, live_server, CURATOR)
    # A concept the merge will go into: 脂多糖 with the singular English name.
    page.goto(f"{live_server}/concepts/new")
    page.locator("input[name$='-text']").nth(0).fill("脂多糖")
    page.locator("input[name$='-text']").nth(1).fill("lipopolysaccharide")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_contain_text("Concept created")
    lps_url = page.url

    page.goto(f"{live_server}/documents")
    page.set_input_files("input[name=files]", str(NOTE))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#sources")).to_contain_text("腸道屏障的研究進展", timeout=60_000)
    page.goto(f"{live_server}/review")

    # Reject, then restore from the rejected list: it is back in the queue.
    card(page, "occludin").locator("[data-action=reject]").click()
    expect(page.locator(".flash-success")).to_contain_text("will not be proposed again")
    expect(card(page, "occludin")).to_have_count(0)
    page.goto(f"{live_server}/review?status=rejected")
    card(page, "occludin").locator("[data-action=restore]").click()
    expect(page.locator(".flash-success")).to_contain_text("Restored 咬合蛋白 · occludin to the queue")
    page.goto(f"{live_server}/review")
    expect(card(page, "occludin")).to_have_count(1)
    shoot_widths(page, screenshot_dir, "review")

    # Merge: the preview lists what it would add; the raw phrase and the plural are offered unticked.
    lps = card(page, "lipopolysaccharides")
    lps.locator(".pair").click()
    page.keyboard.press("m")
    expect(page.locator("h1")).to_contain_text("into")
    phrase = page.locator(".merge-option", has_text="革兰阴性菌外膜成分脂多糖")
    expect(phrase).to_contain_text("a longer phrase around 「脂多糖」")
    expect(phrase.locator("input[type=checkbox]")).not_to_be_checked()
    plural = page.locator(".merge-option", has_text="lipopolysaccharides")
    expect(plural.locator("input[type=checkbox]")).not_to_be_checked()
    expect(page.locator(".merge-option", has_text="LPS").locator("input[type=checkbox]")).to_be_checked()
    page.click("[data-action=confirm-merge]")
    expect(page.locator(".flash-success")).to_contain_text("added LPS")
    page.goto(lps_url)
    terms = page.locator("table.terms .term-main")
    expect(terms).to_have_text(["脂多糖", "lipopolysaccharide", "LPS"])

    # The traditional reading: "use this" on 閉鎖小帶蛋白-1, approved as the zh-Hant form of 闭锁小带蛋白-1.
    page.goto(f"{live_server}/review")
    card(page, "zonula occludens-1").locator(".alternatives a", has_text="use this").nth(2).click()
    expect(page.locator("input[name=zh]")).to_have_value("闭锁小带蛋白-1")
    expect(page.locator("input[name=zh_hant]")).to_have_value("閉鎖小帶蛋白-1")
    page.click("button:has-text('Approve as a new concept')")
    expect(page.locator(".flash-success")).to_contain_text("Approved 闭锁小带蛋白-1")
    page.goto(f"{live_server}/?q=ZO-1")
    page.locator("main a[href*='/concepts/']").first.click()
    expect(page.locator("table.terms")).to_contain_text("閉鎖小帶蛋白-1")
    expect(page.locator("h1 .zh")).to_have_text("闭锁小带蛋白-1")
    shoot_widths(page, screenshot_dir, "concept")

    # Approve with a domain chosen in the queue, then browse by that domain.
    page.goto(f"{live_server}/review")
    scfa = card(page, "short-chain fatty acids")
    scfa.locator("select[name=domain]").select_option("gut barrier")
    scfa.locator("[data-action=approve]").click()
    expect(page.locator(".flash-success")).to_contain_text("Approved 短链脂肪酸")
    page.goto(f"{live_server}/browse")
    page.select_option("select[name=domain]", "gut barrier")
    page.click("form.filters button[type=submit]")
    expect(page.locator("h1 .sub")).to_contain_text("1 concept in gut barrier")
    expect(page.locator("table.browse-list")).to_contain_text("短链脂肪酸")
    expect(page.locator("table.browse-list")).not_to_contain_text("脂多糖")
    shoot_widths(page, screenshot_dir, "browse")

    # A public note and an internal one: the public sees only the first.
    page.goto(f"{lps_url}/edit")
    page.fill("textarea[name=note]", "Endotoxin of Gram-negative bacteria.")
    page.fill("textarea[name=internal_note]", "Check whether 内毒素 should be a synonym.")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_contain_text("Saved")
    expect(page.locator("p.note").first).to_have_text("Endotoxin of Gram-negative bacteria.")
    expect(page.locator(".internal-note")).to_contain_text("Check whether 内毒素 should be a synonym.")
    visitor = new_page()
    visitor.goto(lps_url)
    expect(visitor.locator("p.note")).to_have_text("Endotoxin of Gram-negative bacteria.")
    expect(visitor.locator("main")).not_to_contain_text("内毒素 should be")

    page.goto(f"{live_server}/check")
    shoot_widths(page, screenshot_dir, "check")
