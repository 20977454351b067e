"""Turn the bytes of an uploaded glossary into text.

Spreadsheets on Chinese Windows save CSV as GB18030, Excel's "Unicode text"
is UTF-16, Taiwanese tools write Big5, and everything else is UTF-8 with or
without a BOM. The miner's reader already tells these apart (and refuses
binary files by their signatures), so glossary files are read the same way
and its refusal becomes a ``FormatError``.
"""

from __future__ import annotations

from glossary.formats.plain import FormatError
from glossary.mining.reading import UnreadableDocument, decode_with_encoding


def decode_text(raw: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file; FormatError for empty or binary input."""
    try:
        return decode_with_encoding(raw, "the file")
    except UnreadableDocument as exc:
        raise FormatError(exc.reason) from exc
