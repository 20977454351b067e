"""PDF → text in reading order, page by page, without the page furniture.

PDFium (through pypdfium2) gives every character with its box. Its own plain
text runs across both columns of a two-column page line by line, so lines
are rebuilt here: characters are cut into pieces at wide gaps, a page whose
pieces leave a vertical gutter in the middle is read left column then right
column (a title or figure spanning both columns stays where it is), and the
top and bottom lines that repeat from page to page (running heads, journal
lines) or are only a page number are dropped. Pages are joined with a line
break: the miner's cleanup joins the broken lines and sentences that run on
across a page. PDFium is not thread-safe, so one lock guards every call.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from .document import DocumentLimits, ReadDocument, RefusedDocument

__all__ = ["read_pdf"]

PDFIUM_LOCK = threading.Lock()
END_MARKER_WINDOW = 2048  # %%EOF must appear this near the end; else the file was cut short
GAP_FACTOR = 1.2  # a gap wider than this many character heights ends a piece of a line
MARGIN_SHARE = 0.12  # top and bottom share of the page where running heads and folios live
MIN_TEXT_PER_PAGE = 8  # fewer visible characters than this on average: no text layer
FOLIO = re.compile(r"^[-–—·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[-–—·\s]*$|^[ivxlcdm]{1,6}$", re.I)
DIGITS = re.compile(r"\d+")


@dataclass
class _Piece:
    """A run of characters on one line, with no wide gap inside."""

    text: str
    left: float
    right: float
    bottom: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


def read_pdf(data: bytes, name: str, limits: DocumentLimits) -> ReadDocument:
    """Extract a PDF's text with its page starts, or raise :class:`RefusedDocument`."""
    import pypdfium2 as pdfium  # lazily: only PDFs need PDFium

    if b"%%EOF" not in data[-END_MARKER_WINDOW:]:
        raise RefusedDocument(
            name,
            "this PDF is truncated (it has no end-of-file marker): the upload or download "
            "was cut short; send the complete file",
            "truncated",
        )
    with PDFIUM_LOCK:
        started = time.monotonic()
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise RefusedDocument(
                    name, "this PDF is encrypted with a password: save an unprotected copy and send that", "encrypted"
                ) from error
            raise RefusedDocument(name, f"this PDF is damaged and cannot be opened ({error})", "malformed") from error
        try:
            count = len(document)
            if count == 0:
                raise RefusedDocument(name, "this PDF has no pages", "malformed")
            if count > limits.max_pdf_pages:
                raise RefusedDocument(
                    name,
                    f"this PDF has {count} pages, more than the {limits.max_pdf_pages} "
                    "allowed (INGEST_MAX_PDF_PAGES): split it or raise the limit",
                    "too_many_pages",
                )
            pages = []
            for number in range(count):
                if time.monotonic() - started > limits.max_pdf_seconds:
                    raise RefusedDocument(
                        name,
                        f"reading this PDF took longer than {limits.max_pdf_seconds:g} s "
                        f"(stopped at page {number + 1} of {count}; INGEST_MAX_PDF_SECONDS): "
                        "nothing was mined",
                        "too_slow",
                    )
                pages.append(_page_lines(document, number))
        finally:
            document.close()
    _drop_running_lines(pages)
    return _assemble(pages, name)


def _page_lines(document, number: int) -> tuple[list[_Piece], float]:
    """The page's pieces in reading order, and the page's height."""
    page = document[number]
    try:
        height = page.get_height()
        width = page.get_width()
        textpage = page.get_textpage()
        try:
            pieces = _pieces(textpage)
        finally:
            textpage.close()
    finally:
        page.close()
    return _reading_order(pieces, width), height


def _pieces(textpage) -> list[_Piece]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters beyond the BMP take two indexes: read one by one
        text = "".join(textpage.get_text_range(index, 1) or " " for index in range(count))
    pieces: list[_Piece] = []
    chars: list[str] = []
    box: list[float] = []
    last_right = None

    def close() -> None:
        nonlocal chars, box, last_right
        content = "".join(chars).strip()
        if content:
            pieces.append(_Piece(content, *box))
        chars, box, last_right = [], [], None

    for index, char in enumerate(text):
        if char in "\r\n\x02":
            close()
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        if char.isspace() or right <= left:
            if chars:
                chars.append(" ")
            continue
        if chars and last_right is not None:
            height = max(top - bottom, box[3] - box[2], 1.0)
            # A wide gap, or no vertical overlap with the piece so far (a punctuation mark's box is
            # small but sits inside the line's height), ends the piece.
            if left - last_right > GAP_FACTOR * height or top < box[2] or bottom > box[3]:
                close()
        if not chars:
            box = [left, right, bottom, top]
        else:
            box = [min(box[0], left), max(box[1], right), min(box[2], bottom), max(box[3], top)]
        chars.append(char)
        last_right = right
    close()
    return pieces


def _rows(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped into lines (middles within half a line height), top to bottom, each left to right."""
    rows: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: -p.middle):
        if rows and abs(rows[-1][0].middle - piece.middle) < 0.5 * min(rows[-1][0].height, piece.height):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [sorted(row, key=lambda p: p.left) for row in rows]


def _gutter(pieces: list[_Piece], width: float) -> float | None:
    """The x of a vertical gap between two columns, if the page has one."""
    if len(pieces) < 6:
        return None
    best, best_crossing = None, None
    for step in range(30, 71):
        x = width * step / 100
        crossing = sum(1 for p in pieces if p.left < x < p.right)
        if best_crossing is None or crossing < best_crossing:
            best, best_crossing = x, crossing
    if best is None or best_crossing is None or best_crossing > len(pieces) * 0.25:
        return None
    left = [p for p in pieces if p.right <= best]
    right = [p for p in pieces if p.left >= best]
    # Two columns side by side: several lines with text on both sides of the gap at the same height.
    side_by_side = sum(1 for p in left if any(abs(p.middle - q.middle) < p.height for q in right))
    return best if side_by_side >= 3 else None


def _reading_order(pieces: list[_Piece], width: float) -> list[_Piece]:
    """Lines in reading order; each line one piece (its pieces joined)."""
    gutter = _gutter(pieces, width)
    if gutter is None:
        return [_joined(row) for row in _rows(pieces)]
    ordered: list[_Piece] = []
    band: list[_Piece] = []

    def flush() -> None:
        left = [p for p in band if p.right <= gutter]
        right = [p for p in band if p.left >= gutter]
        ordered.extend(_joined(row) for row in _rows(left))
        ordered.extend(_joined(row) for row in _rows(right))
        band.clear()

    for piece in sorted(pieces, key=lambda p: -p.middle):
        if piece.left < gutter < piece.right:  # spans both columns: a title, a wide figure or table
            flush()
            ordered.append(piece)
        else:
            band.append(piece)
    flush()
    return ordered


def _joined(row: list[_Piece]) -> _Piece:
    if len(row) == 1:
        return row[0]
    return _Piece(
        " ".join(p.text for p in row),
        row[0].left,
        max(p.right for p in row),
        min(p.bottom for p in row),
        max(p.top for p in row),
    )


def _drop_running_lines(pages: list[tuple[list[_Piece], float]]) -> None:
    """Remove page numbers, and top or bottom lines that recur on other pages, in place."""

    def key(piece: _Piece) -> str:
        return DIGITS.sub("#", piece.text.replace(" ", ""))

    def margin_lines(lines: list[_Piece], height: float) -> list[_Piece]:
        edge = height * MARGIN_SHARE
        return [p for p in lines if p.bottom >= height - edge or p.top <= edge]

    seen: dict[str, int] = {}
    for lines, height in pages:
        for piece_key in {key(p) for p in margin_lines(lines, height)}:
            seen[piece_key] = seen.get(piece_key, 0) + 1
    repeated = 2 if len(pages) >= 2 else None
    for lines, height in pages:
        furniture = {
            id(p) for p in margin_lines(lines, height) if FOLIO.match(p.text) or (repeated and seen[key(p)] >= repeated)
        }
        lines[:] = [p for p in lines if id(p) not in furniture]


def _assemble(pages: list[tuple[list[_Piece], float]], name: str) -> ReadDocument:
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for lines, _ in pages:
        if parts:
            parts.append("\n")
            length += 1
        starts.append(length)
        page_text = "\n".join(p.text for p in lines)
        parts.append(page_text)
        length += len(page_text)
    text = "".join(parts)
    visible = sum(1 for char in text if not char.isspace())
    if visible < MIN_TEXT_PER_PAGE * len(pages):
        raise RefusedDocument(
            name,
            "this PDF has no text layer (scanned pages are images of text): run it "
            "through OCR first, or send the article's text",
            "scanned",
        )
    return ReadDocument(kind="pdf", text=text, original=text, pages=len(pages), page_starts=starts)
