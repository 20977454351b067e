"""Dropping several documents on the documents page: each file's progress and result, then the sources.

Only ``static/upload.js`` can take dropped files: the test drops a two-column
PDF, a Word file and a scanned PDF at once (a real ``drop`` event carrying a
``DataTransfer`` of files) and waits for each row's own outcome, with no
script blocked by the Content-Security-Policy on the way.
"""

from __future__ import annotations

import base64

import pytest

from ..ingest.documents import build_docx, build_pdf, build_scanned_pdf
from .test_curation_flow import expect, log_in, shoot

pytestmark = pytest.mark.browser

DROP = """([files]) => {
  const transfer = new DataTransfer();
  for (const [name, type, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  return transfer;
}"""


def test_dropped_documents_each_show_their_progress_and_result(live_server, new_page, screenshot_dir):
    files = [
        ("drop-review.pdf", "application/pdf", build_pdf(columns=2).data),
        (
            "drop-notes.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            build_docx(footnote="注：胆汁酸（bile acids，BAs）参与调节。"),
        ),
        ("drop-scan.pdf", "application/pdf", build_scanned_pdf()),
    ]
    page = new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    log_in(page, live_server)
    page.goto(f"{live_server}/documents")
    transfer = page.evaluate_handle(
        DROP, [[(name, kind, base64.b64encode(data).decode()) for name, kind, data in files]]
    )
    page.dispatch_event("#drop-zone", "dragenter", {"dataTransfer": transfer})
    expect(page.locator("#drop-zone")).to_have_class("drop-zone dragging")
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})

    rows = page.locator("#upload-progress li")
    expect(rows).to_have_count(3)
    expect(page.locator("#upload-form")).to_have_attribute("data-state", "done", timeout=120_000)
    expect(rows.nth(0)).to_contain_text("drop-review.pdf")
    expect(rows.nth(0).locator(".done")).to_contain_text("PDF, 2 pages")
    expect(rows.nth(1).locator(".done")).to_contain_text("Word")
    expect(rows.nth(2).locator(".failed")).to_contain_text("no text layer")
    expect(page.locator("#drop-zone")).to_have_class("drop-zone")

    # The sources list, refreshed by the script: type, pages and characters of each mined file.
    pdf_row = page.locator("#sources tr", has_text="drop-review.pdf")
    expect(pdf_row.locator(".source-kind")).to_have_text("PDF")
    expect(pdf_row.locator(".source-pages")).to_have_text("2")
    expect(page.locator("#sources tr", has_text="drop-notes.docx").locator(".source-kind")).to_have_text("Word")
    expect(page.locator("#sources")).not_to_contain_text("drop-scan.pdf")
    shoot(page, screenshot_dir, "documents-dropped")
    assert refused == []
