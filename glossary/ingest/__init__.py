"""Reading uploaded documents: PDF, Word, Markdown, HTML and plain text → text to mine.

A pure library like :mod:`glossary.mining` (no Flask, no database): bytes and
a file name in, a :class:`ReadDocument` out, or :class:`RefusedDocument` with
the reason. The type is told by the bytes: ``%PDF-`` is a PDF, a ZIP archive
holding ``word/document.xml`` is a Word file, an Office 97 file is refused
with the hint to save it as ``.docx``; anything else must be text in one of
the encodings the miner's reader knows (:func:`glossary.mining.decode_with_encoding`),
and is HTML when it starts as an HTML page does, Markdown when it is named
``.md``, plain text otherwise. A name that promises a PDF or a Word file the
bytes are not is refused rather than mined as something else.

    reading → pdf (:mod:`.pdf`) · docx (:mod:`.docx`) · markdown, html (:mod:`.markup`) · text
"""

from __future__ import annotations

from ..mining import UnreadableDocument, decode_with_encoding
from .document import DocumentLimits, ReadDocument, RefusedDocument
from .docx import is_docx, read_docx
from .markup import looks_like_html, read_html, read_markdown
from .pdf import read_pdf

__all__ = ["ACCEPTED_SUFFIXES", "DocumentLimits", "ReadDocument", "RefusedDocument", "read_document"]

ACCEPTED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".html", ".htm", ".txt")
PDF_WINDOW = 1024  # the PDF standard lets a few bytes come before %PDF-
OFFICE_97 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


def read_document(data: bytes, filename: str, limits: DocumentLimits | None = None) -> ReadDocument:
    """Read one uploaded file for mining, or raise :class:`RefusedDocument` naming it and saying why."""
    limits = limits or DocumentLimits()
    suffix = _suffix(filename)
    if _is_pdf(data):
        return read_pdf(data, filename, limits)
    if data.startswith(OFFICE_97):
        raise RefusedDocument(
            filename,
            "this is a Word 97–2003 (.doc) or other old Office file, which is not "
            "read: open it in Word or LibreOffice and save it as .docx",
            "doc",
        )
    if data.startswith(ZIP):
        if is_docx(data):
            return read_docx(data, filename, limits)
        raise RefusedDocument(filename, "this is a ZIP archive but not a Word .docx document", "unsupported")
    if suffix == ".pdf":
        raise RefusedDocument(
            filename,
            "named .pdf but not a PDF (it does not start with %PDF-): the file is damaged or mislabelled",
            "malformed",
        )
    if suffix in (".docx", ".doc"):
        raise RefusedDocument(
            filename, f"named {suffix} but not a Word document: the file is damaged or mislabelled", "malformed"
        )
    try:
        text, encoding = decode_with_encoding(data, filename)
    except UnreadableDocument as error:
        raise RefusedDocument(filename, error.reason, "unreadable") from error
    if looks_like_html(text) or (suffix in (".html", ".htm") and "<" in text):
        return read_html(text, encoding, filename)
    if suffix in (".md", ".markdown"):
        return read_markdown(text, encoding)
    return ReadDocument(kind="text", text=text, original=text, encoding=encoding)


def _is_pdf(data: bytes) -> bool:
    """``%PDF-`` first, or after a few bytes of binary junk (which the PDF standard tolerates).

    A text that quotes ``%PDF-`` near its start is still text: the bytes before
    the marker must not read as text (a control byte, or not UTF-8).
    """
    at = data.find(b"%PDF-", 0, PDF_WINDOW)
    if at <= 0:
        return at == 0
    prefix = data[:at]
    if any(byte < 0x09 or 0x0D < byte < 0x20 for byte in prefix):
        return True
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _suffix(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + base.rsplit(".", 1)[-1] if "." in base else ""
