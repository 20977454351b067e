"""Documents the tests build themselves: PDFs, Word files, Markdown and HTML with a known text.

Every builder lays out the same invented article, so what is mined from the
document can be compared with what is mined from the article as plain text.
PDFs are drawn by reportlab with its built-in CID font ``STSong-Light`` (no
font file needed), one or two columns, with a running head and page numbers;
each builder also says on which page it drew each line.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

TITLE = "肠道菌群与应激反应"
PARAGRAPHS = [
    "慢性应激激活下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，HPA轴），使血浆皮质醇持续升高。",
    "研究表明，催产素（oxytocin）可以缓解焦虑。肠道菌群产生短链脂肪酸（short-chain fatty acids，SCFAs），"
    "SCFAs可以影响宿主的免疫反应和屏障功能。",
    "肿瘤坏死因子（tumor necrosis factor，TNF）是常见的促炎细胞因子，在慢性炎症中持续升高。",
    "脑源性神经营养因子（brain-derived neurotrophic factor，BDNF）参与突触可塑性，应激使海马中的含量下降。",
    "色氨酸羟化酶（tryptophan hydroxylase，TPH）催化血清素合成的限速步骤，肠嗜铬细胞表达较多。",
    "小胶质细胞（microglia）是中枢神经系统的常驻免疫细胞，受到刺激后释放多种炎症介质。",
]
RUNNING_HEAD = "肠道菌群研究 · 综述"


def article_text() -> str:
    """The article as a person would save it as ``.txt``: the title, then one paragraph a line."""
    return "\n".join([TITLE, *PARAGRAPHS]) + "\n"


@dataclass
class BuiltPdf:
    data: bytes
    lines: list[tuple[int, str]] = field(default_factory=list)  # (page, text) in reading order

    def page_of(self, words: str) -> int | None:
        """The page whose lines hold ``words`` (white space ignored), if one page holds them all."""
        wanted = words.replace(" ", "")
        pages = {}
        for page, line in self.lines:
            pages[page] = pages.get(page, "") + line.replace(" ", "")
        found = [page for page, text in pages.items() if wanted in text]
        return found[0] if len(found) == 1 else None


def _tokens(text: str) -> list[str]:
    """Where a line may break: between Han characters or punctuation, or before an English word."""
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9\-]*[，。、）]?| |.", text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for token in _tokens(text):
        if line and stringWidth(line + token, "STSong-Light", size) > width:
            lines.append(line.rstrip(" "))
            line = token.lstrip(" ")
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip(" "))
    return lines


def build_pdf(
    columns: int = 1,
    repeat: int = 1,
    page_height: float = 260.0,
    encrypt: str | None = None,
    paragraphs: list[str] | None = None,
) -> BuiltPdf:
    """The article as a PDF: ``columns`` columns, running head on top, page number at the foot."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height, size, leading, margin, gap = 420.0, page_height, 10.0, 15.0, 40.0, 24.0
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), encrypt=encrypt)
    column_width = (width - 2 * margin - gap * (columns - 1)) / columns
    body = [(TITLE, 14.0, True)] + [(p, size, False) for p in (paragraphs or PARAGRAPHS) * repeat]
    built = BuiltPdf(b"")
    page, column, y = 1, 0, height - margin - 30

    def furniture() -> None:
        pdf.setFont("STSong-Light", 8)
        pdf.drawString(margin, height - 24, RUNNING_HEAD)
        pdf.drawCentredString(width / 2, 16, f"- {page} -")

    furniture()
    for text, font_size, centred in body:
        if centred:  # the title spans the columns
            pdf.setFont("STSong-Light", font_size)
            pdf.drawCentredString(width / 2, y, text)
            built.lines.append((page, text))
            y -= leading * 2
            continue
        for line in _wrap(text, column_width, font_size):
            if y < margin:
                column += 1
                y = height - margin - 30
                if column == columns:
                    pdf.showPage()
                    page, column = page + 1, 0
                    furniture()
            pdf.setFont("STSong-Light", font_size)
            pdf.drawString(margin + column * (column_width + gap), y, line)
            built.lines.append((page, line))
            y -= leading
    pdf.showPage()
    pdf.save()
    built.data = buffer.getvalue()
    return built


def build_scanned_pdf() -> bytes:
    """A page with only pictures of text (shapes here): no text layer."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(420, 420))
    for row in range(20):
        pdf.rect(40, 380 - row * 16, 300, 8, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def build_docx(footnote: str | None = None) -> bytes:
    """The article as a Word file: title as a heading, paragraphs, a table, and optionally a footnote."""
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for paragraph in PARAGRAPHS[:3]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = PARAGRAPHS[3]
    table.rows[0].cells[1].text = PARAGRAPHS[4]
    document.add_paragraph(PARAGRAPHS[5])
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return _add_footnote(data, footnote) if footnote else data


def _add_footnote(data: bytes, note: str) -> bytes:
    """python-docx writes no footnotes: add a footnotes part and a reference to it in the first paragraph."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(
                    b"</w:t></w:r></w:p>", b'</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>', 1
                )
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                    b'Target="footnotes.xml"/></Relationships>',
                )
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="'
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml."
                    b'footnotes+xml"/></Types>',
                )
            target.writestr(item, content)
        target.writestr(
            "word/footnotes.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>'
                "</w:footnotes>"
            ).encode(),
        )
    return out.getvalue()


def build_docx_bomb(megabytes: int = 64) -> bytes:
    """A real .docx with one more part of ``megabytes`` of zeros: tiny stored, huge unpacked."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(build_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/media/padding.bin", bytes(megabytes * 2**20))
    return out.getvalue()


def build_markdown() -> str:
    """The article in Markdown: heading, emphasis, a link, a list and a table."""
    p = PARAGRAPHS
    return (
        f"# {TITLE}\n\n{p[0]}\n\n"
        + p[1].replace("催产素（oxytocin）", "**催产素**（*oxytocin*）")
        + "\n\n"
        + f"## 炎症\n\n- {p[2]}\n- {p[3].replace('突触可塑性', '[突触可塑性](https://example.org/s)')}\n\n"
        + f"| 说明 |\n|---|\n| {p[4]} |\n\n{p[5]}\n"
    )


def markdown_as_text() -> str:
    """What a reader of :func:`build_markdown` sees, as plain text."""
    p = PARAGRAPHS
    return "\n".join([TITLE, p[0], p[1], "炎症", p[2], p[3], "说明", p[4], p[5]]) + "\n"


def build_html(script: str = "") -> str:
    """The article as a saved web page: head, scripts and styles, entities, a table."""
    p = PARAGRAPHS
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in p[:2])
    table = f"<table><tr><td>{p[2]}</td></tr><tr><td>{p[3]}</td></tr></table>"
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>页面标题</title>'
        "<style>p { color: #333; }</style><script>var note = '<p>不是正文（not text）</p>';</script></head>\n"
        f"<body><h1>{TITLE}</h1>\n{body}{table}\n"
        f"<p>{p[4].replace('，', '&#xFF0C;', 1)}</p><p>{p[5]}</p>{script}</body></html>\n"
    )


def build_long_pdf() -> bytes:
    """Eight short pages."""
    return build_pdf(paragraphs=PARAGRAPHS * 4, page_height=200).data


# The bad files of every door (page, API, CLI): (file name, bytes, what the refusal must say).
# The apps under test allow 7 PDF pages (LONG_PDF_LIMIT), so build_long_pdf() is one page too long.
LONG_PDF_LIMIT = 7
BAD_UPLOADS = [
    ("scanned.pdf", build_scanned_pdf, "no text layer"),
    ("locked.pdf", lambda: build_pdf(encrypt="secret").data, "encrypted with a password"),
    ("cut.pdf", lambda: build_pdf().data[:3000], "truncated"),
    ("long.pdf", build_long_pdf, "has 8 pages, more than the 7 allowed"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "save it as .docx"),
    ("bomb.docx", build_docx_bomb, "zip bomb"),
    (
        "app.html",
        lambda: b"<!doctype html><html><body><div id=root></div><script>render('<p>text</p>')</script></body></html>",
        "scripts",
    ),
]
