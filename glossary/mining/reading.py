"""Reading: the bytes of an extracted article → text.

Articles reach us as UTF-8 (with or without a byte-order mark), UTF-16, or a
legacy Chinese code page: GB18030/GBK on the mainland, Big5 in Taiwan and Hong
Kong. GB18030 accepts almost any byte sequence, so "it decoded" proves
nothing; each strict decoding is judged by how plausible the characters it
yields are for Chinese text, with charset-normalizer's guess as one more
candidate. Anything binary, empty or undecodable is refused with
:class:`UnreadableDocument` naming the file.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

__all__ = ["UnreadableDocument", "decode_document", "decode_with_encoding"]

SIGNATURES = {
    b"%PDF": "a PDF file, not text: extract its text first",
    b"PK\x03\x04": "a ZIP archive (docx, xlsx…), not text",
    b"\x89PNG": "a PNG image, not text",
    b"\xff\xd8\xff": "a JPEG image, not text",
    b"GIF8": "a GIF image, not text",
    b"\xd0\xcf\x11\xe0": "an Office 97 document, not text",
    b"\x7fELF": "an executable, not text",
}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_ENCODINGS = ("gb18030", "big5hkscs", "cp950")
SAMPLE_CHARS = 200_000  # judging a decoding on a prefix keeps 20 MB files fast
MAX_IMPLAUSIBILITY = 0.25


class UnreadableDocument(ValueError):
    """A document that cannot be read as text; the message names the file."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """Han characters in GB2312 or in Big5 level 1: what ordinary Chinese text uses."""
    common = set()
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        if _strict_encode(char, "gb2312") or 0xA4 <= (_strict_encode(char, "big5") or b"\0")[0] <= 0xC6:
            common.add(char)
    return frozenset(common)


def _strict_encode(char: str, encoding: str) -> bytes | None:
    try:
        return char.encode(encoding)
    except UnicodeEncodeError:
        return None


def _implausibility(text: str) -> float:
    """Share of characters that a wrong code page typically produces (0 = all plausible)."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return 1.0
    common = None
    penalty = 0.0
    for char in sample:
        code = ord(char)
        if code < 0x80:
            if code < 0x20 and char not in "\t\n\r\f":
                penalty += 10
            continue
        if 0x4E00 <= code < 0xA000:
            if common is None:
                common = _common_han()
            if char not in common:
                penalty += 1
            continue
        category = unicodedata.category(char)
        if category in ("Co", "Cn", "Cc", "Cs"):
            penalty += 10
        elif 0x3040 <= code < 0x3130 or 0x2500 <= code < 0x2600 or 0xAC00 <= code < 0xD7B0:
            penalty += 3  # kana, bopomofo, box drawing, Hangul: code-page confusion
        elif 0x3400 <= code < 0x4DC0 or 0x0400 <= code < 0x0530:
            penalty += 2
    return penalty / len(sample)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> tuple[str | None, str]:
    """UTF-16 without a byte-order mark shows as NUL bytes on one side of each pair."""
    half = len(data) // 2
    if half < 2 or len(data) % 2:
        return None, ""
    even = data[0::2].count(0) / half
    odd = data[1::2].count(0) / half
    encoding = "utf-16-le" if odd > 0.2 and even < 0.05 else "utf-16-be" if even > 0.2 and odd < 0.05 else None
    return (_strict(data, encoding), encoding) if encoding else (None, "")


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8, allowing a cut last character or a rare damaged byte (replaced by U+FFFD)."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    lenient = data.decode("utf-8", errors="replace")
    damaged = lenient.count("\ufffd") - data.count("\ufffd".encode())
    return lenient if damaged <= max(1, len(lenient) // 10_000) else None


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # lazily: only legacy files need it

    best = from_bytes(data[:SAMPLE_CHARS]).best()
    return best.encoding if best is not None else None


def decode_document(data: bytes, name: str) -> str:
    """Decode an article's bytes to text, or raise :class:`UnreadableDocument`."""
    return decode_with_encoding(data, name)[0]


def decode_with_encoding(data: bytes, name: str) -> tuple[str, str]:
    """Decode an article's bytes: ``(text, encoding)``, or raise :class:`UnreadableDocument`.

    Tries, in order: a byte-order mark, strict UTF-8, UTF-16 without a mark, then
    the legacy Chinese code pages and charset-normalizer's guess, keeping the
    decoding whose characters look most like real text.
    """
    if not data or not data.strip():
        raise UnreadableDocument(name, "the file is empty")
    for magic, what in SIGNATURES.items():
        if data.startswith(magic):
            raise UnreadableDocument(name, f"this is {what}")
    text, encoding = None, ""
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            text, encoding = _strict(data, bom_encoding), bom_encoding
            if text is None:
                raise UnreadableDocument(name, f"starts with a {encoding} byte-order mark but is not valid {encoding}")
            break
    if text is None and b"\x00" in data:
        text, encoding = _utf16_without_bom(data)
        if text is None:
            raise UnreadableDocument(name, "this is a binary file (it contains NUL bytes), not text")
    if text is None:
        text, encoding = _nearly_utf8(data), "utf-8"
    if text is None:
        text, encoding = _best_legacy_decoding(data, name)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableDocument(name, "the file is empty (only a byte-order mark or white space)")
    if _implausibility(text) > MAX_IMPLAUSIBILITY:
        raise UnreadableDocument(name, "this looks like a binary file, not text")
    return text, encoding


def _best_legacy_decoding(data: bytes, name: str) -> tuple[str, str]:
    candidates: dict[str, str] = {}
    for encoding in LEGACY_ENCODINGS:
        decoded = _strict(data, encoding)
        if decoded is not None:
            candidates[encoding] = decoded
    guess = _charset_normalizer_guess(data)
    if guess and guess not in candidates:
        decoded = _strict(data, guess)
        if decoded is not None:
            candidates[guess] = decoded
    if not candidates:
        raise UnreadableDocument(name, "the text is in no encoding we can read (tried UTF-8, UTF-16, GB18030, Big5)")
    scored = sorted(
        (_implausibility(text), index, encoding, text) for index, (encoding, text) in enumerate(candidates.items())
    )
    return scored[0][3], scored[0][2]
