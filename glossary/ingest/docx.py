"""Word ``.docx`` → text: paragraphs and tables in document order, then the footnotes.

A ``.docx`` is a ZIP archive, so its sizes are checked from the archive's
directory before a byte is inflated: a small upload that would unpack to
gigabytes (a "zip bomb") is refused. python-docx reads the body; it has no
footnote API, so the footnotes part is read as the XML it is. Each paragraph,
table cell and footnote is a line of its own.
"""

from __future__ import annotations

import io
import zipfile

from .document import DocumentLimits, ReadDocument, RefusedDocument

__all__ = ["is_docx", "read_docx"]

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{WORD_NS}}}"
FOOTNOTES_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
MIN_RATIO_SIZE = 1024 * 1024  # small parts compress as they like; only large ones are judged by ratio


def is_docx(data: bytes) -> bool:
    """True for a ZIP archive holding ``word/document.xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return False


def _check_sizes(data: bytes, name: str, limits: DocumentLimits) -> None:
    """Refuse an archive that would unpack too large, judged from its directory alone.

    Python's zipfile stops reading a member at its declared size, so the
    declared sizes bound what extraction can produce.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise RefusedDocument(name, f"this Word file is damaged ({error})", "malformed") from error
    total = sum(member.file_size for member in members)
    if total > limits.max_docx_bytes:
        raise RefusedDocument(
            name,
            f"this Word file would unpack to {total // 2**20} MB, more than the "
            f"{limits.max_docx_bytes // 2**20} MB allowed (INGEST_MAX_DOCX_MB): it looks like a "
            "zip bomb",
            "zip_bomb",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MIN_RATIO_SIZE and ratio > limits.max_zip_ratio:
            raise RefusedDocument(
                name,
                f"a part of this Word file ({member.filename}) unpacks {ratio:.0f} times "
                f"larger than it is stored, more than the {limits.max_zip_ratio}× allowed "
                "(INGEST_MAX_ZIP_RATIO): it looks like a zip bomb",
                "zip_bomb",
            )


def read_docx(data: bytes, name: str, limits: DocumentLimits) -> ReadDocument:
    """Extract a ``.docx``'s text, or raise :class:`RefusedDocument`."""
    _check_sizes(data, name, limits)
    import docx  # lazily: only Word files need python-docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(io.BytesIO(data))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        raise RefusedDocument(name, f"this Word file is damaged or not a .docx ({error})", "malformed") from error
    lines = list(_body_lines(document.element.body))
    lines.extend(_footnote_lines(document))
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise RefusedDocument(name, "this Word file has no text", "empty")
    return ReadDocument(kind="docx", text=text, original=text)


def _body_lines(container):
    """Paragraphs and table cells (row by row, cell by cell; nested tables inside) in document order."""
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                for cell in row.iterchildren(f"{W}tc"):
                    yield from _body_lines(cell)
        elif child.tag == f"{W}sdt":  # a content control: its content is ordinary body
            for content in child.iterchildren(f"{W}sdtContent"):
                yield from _body_lines(content)


def _paragraph_text(paragraph) -> str:
    """A paragraph's visible text: runs, hyperlinks, tabs and breaks; deleted text left out."""
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if any(ancestor.tag == f"{W}del" for ancestor in node.iterancestors()):
            continue
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" " if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _footnote_lines(document):
    """The footnotes' paragraphs, in the order the body refers to them."""
    footnotes_part = next(
        (
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == FOOTNOTES_RELTYPE and not rel.is_external
        ),
        None,
    )
    if footnotes_part is None:
        return
    from lxml import etree

    root = etree.fromstring(footnotes_part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    notes = {
        note.get(f"{W}id"): note
        for note in root.iterchildren(f"{W}footnote")
        if note.get(f"{W}type") in (None, "normal")
    }
    for reference in document.element.body.iter(f"{W}footnoteReference"):
        note = notes.pop(reference.get(f"{W}id"), None)
        if note is not None:
            yield from _body_lines(note)
