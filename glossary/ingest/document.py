"""What a read document is, what may refuse one, and the limits a reader keeps.

A :class:`ReadDocument` is the text the miner gets plus two maps: where each
character of that text sits in the original (the decoded Markdown or HTML;
for PDF, Word and plain text the text *is* the original) and on which page it
was printed (PDF only). Evidence offsets are stored in the original, so a
sentence found in a Markdown file still points at the Markdown as written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..mining import CleanText, UnreadableDocument

__all__ = ["DocumentLimits", "ReadDocument", "RefusedDocument"]

KINDS = ("pdf", "docx", "markdown", "html", "text")


class RefusedDocument(UnreadableDocument):
    """A file the reader will not mine: ``code`` says why in one word, ``reason`` in a sentence.

    It is an :class:`UnreadableDocument`, so every door that already reports
    those (page, API, CLI) reports these with the file's name and reason.
    """

    def __init__(self, name: str, reason: str, code: str = "unreadable") -> None:
        super().__init__(name, reason)
        self.code = code


@dataclass(frozen=True)
class DocumentLimits:
    """How much work one file may cost before it is refused rather than half read."""

    max_pdf_pages: int = 300
    max_pdf_seconds: float = 60.0
    max_docx_bytes: int = 200 * 1024 * 1024  # uncompressed size of every part of a .docx together
    max_zip_ratio: int = 100  # uncompressed ÷ compressed size of any one part

    @classmethod
    def from_config(cls, config: Mapping) -> DocumentLimits:
        """The limits an app's configuration sets (``INGEST_*`` keys), defaults for the rest."""
        default = cls()
        return cls(
            max_pdf_pages=int(config.get("INGEST_MAX_PDF_PAGES", default.max_pdf_pages)),
            max_pdf_seconds=float(config.get("INGEST_MAX_PDF_SECONDS", default.max_pdf_seconds)),
            max_docx_bytes=int(config.get("INGEST_MAX_DOCX_MB", default.max_docx_bytes // 2**20)) * 2**20,
            max_zip_ratio=int(config.get("INGEST_MAX_ZIP_RATIO", default.max_zip_ratio)),
        )


@dataclass
class ReadDocument:
    """A file read for mining.

    ``text`` is what the miner reads; ``original`` is the text evidence offsets
    are stored in (they differ only for Markdown and HTML, whose markup
    ``text`` leaves out). ``page_starts[i]`` is where page ``i + 1`` begins in
    ``text``; empty when the format has no pages.
    """

    kind: str  # one of KINDS
    text: str
    original: str
    encoding: str | None = None
    pages: int | None = None
    page_starts: list[int] = field(default_factory=list)
    markup: CleanText | None = None  # text → original, for Markdown and HTML

    @property
    def characters(self) -> int:
        """Characters of text the miner reads (markup and page furniture left out)."""
        return len(self.text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in :attr:`original` of ``text[start:end]``."""
        if self.markup is None:
            return start, end
        return self.markup.source_span(start, end)

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) that ``text[offset]`` was printed on; None without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, offset))
