"""The export page in a real browser: the guide to formats, and downloads chosen with its form (issue 17).

Chromium saves what the form's GET answers, so the file names and contents
checked here are the ones a translator gets.
"""

from __future__ import annotations

import openpyxl
import pytest

from glossary.formats import COLUMNS

from .test_curation_flow import expect, shoot

pytestmark = pytest.mark.browser


def download(page, tmp_path, name):
    with page.expect_download() as info:
        page.click("main form.export-form button[type=submit]")
    target = tmp_path / name
    info.value.save_as(target)
    return info.value.suggested_filename, target


def test_the_form_downloads_a_workbook_and_a_tbx_with_its_options(live_server, new_page, screenshot_dir, tmp_path):
    page = new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto(f"{live_server}/export")
    expect(page.locator("table.export-tools")).to_contain_text("OmegaT 3.6 cannot read TBX v3")
    expect(page.locator("table.export-tools")).to_contain_text("LibreOffice")
    shoot(page, screenshot_dir, "export-page")

    page.select_option("select[name=format]", "xlsx")
    page.select_option("select[name=status]", "")
    name, path = download(page, tmp_path, "sheet.xlsx")
    assert name.startswith("glossary-xlsx-all-") and name.endswith(".xlsx")
    header = [cell.value for cell in next(openpyxl.load_workbook(path).active.iter_rows())]
    assert header == list(COLUMNS)

    page.select_option("select[name=format]", "tbx")
    page.select_option("select[name=zh_tags]", "region")
    page.check("input[name=doctype]")
    name, path = download(page, tmp_path, "terms.tbx")
    assert name.startswith("glossary-tbx-basic-zh-CN-doctype-all-") and name.endswith(".tbx")
    assert path.read_bytes().splitlines()[1] == b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'

    page.select_option("select[name=format]", "tsv-en-zh")
    name, _ = download(page, tmp_path, "glossary.txt")
    assert "-tsv-en-zh-" in name
    assert refused == []
