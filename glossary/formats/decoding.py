"""Turn the bytes of an uploaded glossary into text.

Spreadsheets on Chinese Windows save CSV as GB18030 (or its subsets GBK and
GB2312), Excel's "Unicode text" is UTF-16, and everything else is UTF-8 with or
without a BOM. BOMs decide first, then strict UTF-8, and only then
charset-normalizer guesses, because its guesses on short texts are the least
reliable step.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from glossary.formats.plain import FormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of these; decoding with it never loses a character
# that a guess of the smaller charset would have read.
_GB_FAMILY = {"gb2312", "gbk", "hz", "gb18030", "cp936"}
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def decode_text(raw: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file; FormatError for empty or binary input."""
    if not raw.strip():
        raise FormatError("the file is empty")
    encoding = _detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FormatError(f"cannot decode the file as {encoding}: {exc}") from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FormatError("the file is empty")
    if _looks_binary(text):
        raise FormatError("the file is not text (it looks like a binary file)")
    return text, encoding


def _detect_encoding(raw: bytes) -> str:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if b"\x00" in raw[:4096] and not _looks_like_bomless_utf16(raw):
        raise FormatError("the file is not text (it looks like a binary file)")
    guess = from_bytes(raw).best()
    if guess is None:
        raise FormatError("the file is not text in a known encoding (expected UTF-8, UTF-16 or GB18030)")
    name = codecs.lookup(guess.encoding).name.replace("_", "-")
    return "gb18030" if name.replace("-", "") in _GB_FAMILY else name


def _looks_like_bomless_utf16(raw: bytes) -> bool:
    sample = raw[:4096]
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    return max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(
        1 for char in sample if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs", "Co")
    )
    return controls > max(2, len(sample) // 100)
