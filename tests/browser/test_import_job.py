"""A large import in a real browser: the job page follows its progress by script, then shows the report.

The file is above the size the request imports itself, so it runs as a job;
with script on, only ``static/import_job.js`` can take the page from the
progress to the report (the meta refresh is inside ``<noscript>``), and the
strict Content-Security-Policy must not have blocked anything on the way.
"""

from __future__ import annotations

import re

import pytest

from .conftest import ADMIN
from .test_curation_flow import expect, shoot

pytestmark = pytest.mark.browser
ROWS = 8000  # about 330 KB: more than the request imports itself


def test_a_large_import_is_followed_to_its_report_and_applied(live_server, new_page, screenshot_dir, tmp_path):
    csv = tmp_path / "enzymes.csv"
    csv.write_text(
        "zh,en\n" + "".join(f"浏览器测试酶-{i},browser test enzyme {i}\n" for i in range(ROWS)), encoding="utf-8"
    )
    page = new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{live_server}/login")
    page.fill("input[name=name]", ADMIN[0])
    page.fill("input[name=password]", ADMIN[1])
    page.click("main form button[type=submit]")
    page.goto(f"{live_server}/admin/import")
    page.set_input_files("input[name=file]", str(csv))
    page.click("main form.import-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/import/jobs/\d+$"))
    expect(page.locator("h1")).to_contain_text("Import preview", timeout=120_000)
    expect(page.locator(".import-counts .outcome-new .count")).to_have_text(str(ROWS))
    expect(page.locator(".pager")).to_contain_text("Page 1 of 40")
    shoot(page, screenshot_dir, "import-preview")

    page.click("form.apply-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(f"Imported: {ROWS} new", timeout=120_000)
    shoot(page, screenshot_dir, "import-result")
    assert refused == []
