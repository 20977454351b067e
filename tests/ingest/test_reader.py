"""The document reader: each type to the text a person reads, with pages and offsets; bad files refused.

No app is needed: :mod:`glossary.ingest` is pure, like the miner.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from glossary.ingest import DocumentLimits, RefusedDocument, read_document
from glossary.mining import mine_texts

from .documents import (
    PARAGRAPHS,
    RUNNING_HEAD,
    TITLE,
    article_text,
    build_docx,
    build_docx_bomb,
    build_html,
    build_long_pdf,
    build_markdown,
    build_pdf,
    build_scanned_pdf,
    markdown_as_text,
)

FOOTNOTE = "注：脂多糖（lipopolysaccharide，LPS）来自革兰氏阴性菌的外膜。"


def pairs(text: str) -> list[tuple[str, str, str]]:
    return sorted((c.zh, c.en, c.abbr) for c in mine_texts([("article", text)]))


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def plain_pairs():
    found = pairs(article_text())
    assert ("催产素", "oxytocin", "") in found and len(found) >= 6
    return found


@pytest.mark.parametrize(
    ("filename", "build", "kind"),
    [
        ("one-column.pdf", lambda: build_pdf(columns=1).data, "pdf"),
        ("two-column.pdf", lambda: build_pdf(columns=2).data, "pdf"),
        ("article.docx", build_docx, "docx"),
        ("article.md", lambda: build_markdown().encode(), "markdown"),
        ("article.html", lambda: build_html().encode("gb18030"), "html"),
    ],
)
def test_each_type_mines_the_pairs_its_plain_text_gives(filename, build, kind, plain_pairs):
    document = read_document(build(), filename)
    assert document.kind == kind
    assert pairs(document.text) == plain_pairs


@pytest.mark.parametrize("columns", [1, 2])
def test_pdf_text_is_in_reading_order_without_running_heads_or_page_numbers(columns):
    built = build_pdf(columns=columns)
    document = read_document(built.data, "article.pdf")
    assert document.pages == len({page for page, _ in built.lines}) >= 2
    assert RUNNING_HEAD not in document.text and "- 1 -" not in document.text and "- 2 -" not in document.text
    # Every character of the article, in the article's order, and nothing else.
    assert squeezed(document.text) == squeezed(article_text())


@pytest.mark.parametrize("columns", [1, 2])
def test_pdf_offsets_know_their_page(columns):
    built = build_pdf(columns=columns)
    document = read_document(built.data, "article.pdf")
    position = 0
    for page, line in built.lines:
        position = document.text.index(line, position)
        assert document.page_at(position) == page, line
        assert document.page_at(position + len(line) - 1) == page, line
    assert document.page_at(len(document.text) - 1) == document.pages


def test_pdf_type_is_told_by_the_bytes_not_the_name():
    assert read_document(build_pdf().data, "article.txt").kind == "pdf"
    assert read_document(b"\x00\x17junk" + build_pdf().data, "article.bin").kind == "pdf"
    assert read_document(build_docx(), "article").kind == "docx"
    quoting = "PDF 文件以 %PDF-1.7 开头。\n" + article_text()
    assert read_document(quoting.encode(), "notes.txt").kind == "text"


def test_docx_reads_paragraphs_table_cells_and_footnotes_in_order():
    document = read_document(build_docx(footnote=FOOTNOTE), "article.docx")
    lines = document.text.split("\n")
    assert lines == [TITLE, *PARAGRAPHS, FOOTNOTE]
    assert ("脂多糖", "lipopolysaccharide", "LPS") in pairs(document.text)


def test_markdown_markup_is_removed_and_offsets_point_into_the_file_as_written():
    markdown = build_markdown()
    document = read_document(markdown.encode("utf-16"), "article.md")
    assert document.kind == "markdown" and document.encoding == "utf-16"
    assert document.text == markdown_as_text().strip()
    assert pairs(document.text) == pairs(markdown_as_text())
    for word in ("oxytocin", "突触可塑性", "色氨酸羟化酶", "炎症"):
        start = document.text.index(word)
        original_start, original_end = document.original_span(start, start + len(word))
        assert markdown[original_start:original_end] == word


def test_html_shows_only_what_a_browser_shows_and_maps_back():
    page = build_html(script="<script>document.write('脚本写的（written by script）')</script>")
    document = read_document(page.encode(), "saved.htm")
    assert document.kind == "html"
    assert document.text == article_text().strip()
    assert "页面标题" not in document.text and "script" not in document.text and "color" not in document.text
    comma = document.text.index("tryptophan hydroxylase") + len("tryptophan hydroxylase")  # written &#xFF0C;
    assert document.text[comma] == "，"
    assert page[slice(*document.original_span(comma, comma + 1))] == "&#xFF0C;"
    start = document.text.index("小胶质细胞")
    assert page[slice(*document.original_span(start, start + 5))] == "小胶质细胞"


def test_html_is_told_by_its_start_even_when_named_txt():
    assert read_document(build_html().encode(), "saved.txt").kind == "html"
    assert read_document(article_text().encode(), "notes.txt").kind == "text"


def zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    return buffer.getvalue()


BAD_FILES = [
    ("scanned.pdf", build_scanned_pdf, {}, "scanned", "no text layer"),
    ("locked.pdf", lambda: build_pdf(encrypt="secret").data, {}, "encrypted", "encrypted with a password"),
    ("cut.pdf", lambda: build_pdf().data[:3000], {}, "truncated", "truncated"),
    ("junk.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", {}, "malformed", "damaged"),
    ("long.pdf", build_long_pdf, {"max_pdf_pages": 7}, "too_many_pages", "has 8 pages, more than the 7 allowed"),
    ("slow.pdf", lambda: build_pdf().data, {"max_pdf_seconds": 0}, "too_slow", "longer than 0 s"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), {}, "doc", "save it as .docx"),
    ("bomb.docx", build_docx_bomb, {}, "zip_bomb", "zip bomb"),
    ("big.docx", build_docx, {"max_docx_bytes": 4096}, "zip_bomb", "would unpack to"),
    ("data.docx", zip_without_word, {}, "unsupported", "not a Word .docx"),
    ("fake.pdf", lambda: article_text().encode(), {}, "malformed", "named .pdf but not a PDF"),
    (
        "app.html",
        lambda: (
            b"<!doctype html><html><body><div id='root'></div><script src='app.js'></script>"
            b"<script>render()</script></body></html>"
        ),
        {},
        "scripts",
        "scripts",
    ),
    ("blank.html", lambda: b"<html><body><p> </p></body></html>", {}, "empty", "no text"),
    ("empty.md", lambda: b"", {}, "unreadable", "empty"),
]


@pytest.mark.parametrize(
    ("filename", "build", "limits", "code", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES]
)
def test_bad_files_are_refused_with_their_reason(filename, build, limits, code, reason):
    with pytest.raises(RefusedDocument) as refused:
        read_document(build(), filename, DocumentLimits(**limits))
    assert refused.value.code == code
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"{filename}: ")


def test_limits_come_from_the_configuration():
    limits = DocumentLimits.from_config({"INGEST_MAX_PDF_PAGES": 8, "INGEST_MAX_DOCX_MB": 3})
    assert limits.max_pdf_pages == 8 and limits.max_docx_bytes == 3 * 2**20
    assert limits.max_pdf_seconds == DocumentLimits().max_pdf_seconds
    assert read_document(build_long_pdf(), "long.pdf", limits).pages == 8
