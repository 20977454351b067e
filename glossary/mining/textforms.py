"""Character classes and matching keys shared by the mining stages.

Terms are kept as written; these keys only decide what counts as "the same"
when occurrences and documents are merged: traditional characters folded to
simplified (OpenCC, loaded lazily), one kind of dash and apostrophe, Greek
letter names folded to the letters themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..text.scripts import CJK, GREEK, GREEK_NAMES, ROMAN  # noqa: F401  (re-exported to the stages)

DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
CJK_RE = re.compile(f"[{CJK}]")
DASH_RE = re.compile(f"[{DASHES}]")
APOSTROPHE_RE = re.compile("[\u2018\u2019\u02bc\u02b9\u2032\uff07`]")
SPACES_RE = re.compile(r"\s+")

_GREEK_WORD_RE = re.compile(r"\b(" + "|".join(GREEK_NAMES) + r")\b", re.IGNORECASE)


def has_cjk(text: str) -> bool:
    """True when the text holds at least one Han character."""
    return bool(CJK_RE.search(text))


def is_cjk(char: str) -> bool:
    """True for one Han character."""
    return bool(CJK_RE.match(char))


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # lazily: the conversion tables take a moment to load

    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC t2s); other text unchanged."""
    return _converter("t2s").convert(text) if has_cjk(text) else text


def fold(text: str) -> str:
    """NFKC, one dash and one apostrophe, single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = DASH_RE.sub("-", APOSTROPHE_RE.sub("'", text))
    return SPACES_RE.sub(" ", text).strip()


def zh_key(text: str) -> str:
    """Key of a Chinese term: simplified, folded, no spaces, Latin lower-cased."""
    return fold(to_simplified(text)).replace(" ", "").lower()


def en_key(text: str) -> str:
    """Key of an English term: case, dashes, spacing and Greek spelling folded."""
    text = _GREEK_WORD_RE.sub(lambda m: GREEK_NAMES[m.group(1).lower()], fold(text))
    text = re.sub(r"\s*([-/])\s*", r"\1", text.lower())
    return text.strip(" .,;:")
