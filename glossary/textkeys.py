"""Search keys for terms: simplified/traditional Chinese, pinyin, folded English.

Pure text functions (no Flask, no database) shared by the models, which store
the keys on insert so that search never computes them per row, and by the
search service, which computes the same keys for a query. Also the one home of
the invisible characters a term never holds (zero-width characters, dropped;
bidirectional controls, which the concept service refuses): keys ignore both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "abbr_key",
    "bidi_control_in",
    "drop_invisible",
    "drop_zero_width",
    "english_key",
    "has_cjk",
    "pinyin_forms",
    "to_simplified",
    "to_traditional",
    "zh_key",
]

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
DASHES_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\ufe58\ufe63\uff0d\u2e3a]")
APOSTROPHES_RE = re.compile("[\u2018\u2019\u02bc\u02b9\u2032\uff07`]")
SPACE_RE = re.compile(r"\s+")
# Control characters other than white space: never part of a term (and PostgreSQL refuses NUL).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Zero-width characters: invisible, so "oxy\u200btocin" looks like oxytocin but would not match it.
ZERO_WIDTH_RE = re.compile("[\u200b-\u200d\u2060\ufeff]")
# Bidirectional controls: they reorder what is shown ("abc\u202egnp.exe" displays as "abcexe.png").
BIDI_CONTROL_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Greek letters as biomedical abbreviations spell them out (NF-κB ~ nf-kb).
GREEK_TO_LATIN = str.maketrans(
    {
        "α": "a",
        "β": "b",
        "γ": "g",
        "δ": "d",
        "ε": "e",
        "ζ": "z",
        "η": "h",
        "θ": "th",
        "ι": "i",
        "κ": "k",
        "λ": "l",
        "μ": "m",
        "ν": "n",
        "ξ": "x",
        "ο": "o",
        "π": "p",
        "ρ": "r",
        "σ": "s",
        "ς": "s",
        "τ": "t",
        "υ": "u",
        "φ": "ph",
        "χ": "ch",
        "ψ": "ps",
        "ω": "o",
    }
)


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc  # loaded lazily: the dictionaries take a moment

    return opencc.OpenCC(config)


def has_cjk(text: str) -> bool:
    """True when the text contains at least one Han character."""
    return bool(CJK_RE.search(text or ""))


def drop_zero_width(text: str) -> str:
    """The text without zero-width characters (U+200B–U+200D, U+2060, U+FEFF)."""
    return ZERO_WIDTH_RE.sub("", text)


def drop_invisible(text: str) -> str:
    """The text without zero-width characters and bidirectional controls: what a reader sees."""
    return BIDI_CONTROL_RE.sub("", ZERO_WIDTH_RE.sub("", text))


def bidi_control_in(text: str) -> str | None:
    """The first bidirectional control character in the text, or None."""
    found = BIDI_CONTROL_RE.search(text)
    return found.group() if found else None


def fold_common(text: str) -> str:
    """NFKC, one kind of dash and apostrophe, no control or invisible characters, single spaces, trimmed."""
    text = CONTROL_RE.sub("", drop_invisible(unicodedata.normalize("NFKC", text or "")))
    text = DASHES_RE.sub("-", text)
    text = APOSTROPHES_RE.sub("'", text)
    return SPACE_RE.sub(" ", text).strip()


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s); text without Han characters is returned as is."""
    return _converter("t2s").convert(text) if has_cjk(text) else text


def to_traditional(text: str) -> str:
    """Simplified → traditional with Taiwan phrasing (OpenCC s2twp)."""
    return _converter("s2twp").convert(text) if has_cjk(text) else text


def zh_key(text: str) -> str:
    """The matching key of a Chinese term: simplified, no spaces, lower-case Latin."""
    folded = fold_common(to_simplified(text)).lower()
    return folded.replace(" ", "")


def english_key(text: str) -> str:
    """The matching key of an English term: case, hyphen and space variants equal."""
    folded = fold_common(text).lower()
    folded = re.sub(r"[-/_]+", " ", folded)
    return SPACE_RE.sub(" ", folded).strip()


def abbr_key(text: str) -> str:
    """Case-insensitive key of an abbreviation: NF-κB, nf-kb and NFKB are equal."""
    folded = fold_common(text).lower().translate(GREEK_TO_LATIN)
    return re.sub(r"[\s\-./_]+", "", folded)


def pinyin_forms(text: str) -> tuple[str, str, str, str]:
    """Pinyin of a Chinese term: (tone marks spaced, toneless key, tone-number key, initials).

    ``催产素`` → ``("cuī chǎn sù", "cuichansu", "cui1chan3su4", "ccs")``. Latin letters and
    digits inside the term (``5-羟色胺``, ``神经肽Y``) are kept in every form.
    """
    from pypinyin import Style, pinyin

    simplified = to_simplified(fold_common(text))

    # Non-Han runs come back marked so that they are kept, lower-cased, as written.
    def keep(chars: str) -> list[str]:
        return ["\x00" + chars]

    marks = pinyin(simplified, style=Style.TONE, errors=keep)
    numbers = pinyin(simplified, style=Style.TONE3, errors=keep, neutral_tone_with_five=True)
    spaced, plain, numbered, initials = [], [], [], []
    for (mark,), (number,) in zip(marks, numbers, strict=True):
        if mark.startswith("\x00"):
            run = re.sub(r"[^0-9a-z\u0370-\u03ff]+", "", mark[1:].lower())
            if run:
                spaced.append(run)
                plain.append(run)
                numbered.append(run)
                initials.append(run)
            continue
        spaced.append(mark)
        plain.append(re.sub(r"\d", "", number))
        numbered.append(number)
        initials.append(number[:1])
    return " ".join(spaced), "".join(plain), "".join(numbered), "".join(initials)
