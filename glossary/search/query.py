"""Reading a query: which keys to look up for whatever the user typed.

Pure functions over text. A query is turned into every key it could be —
a Chinese key (simplified, from either script), English and abbreviation keys,
toneless pinyin and pinyin initials — using the same functions that computed
the stored keys (``glossary.textkeys``), so a query and a term always agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..textkeys import abbr_key, english_key, fold_common, has_cjk, zh_key

__all__ = ["LANG_FILTERS", "MAX_QUERY_LENGTH", "QueryKeys", "parse_query", "toneless_pinyin"]

MAX_QUERY_LENGTH = 200
LANG_FILTERS = ("zh", "en", "pinyin", "abbr")

_TONE_NUMBERS_RE = re.compile(r"(?<=[a-zü:v])[1-5]")
_PINYIN_RE = re.compile(r"^[a-zv]+$")
_WORD_RE = re.compile(r"[0-9a-z\u0370-\u03ff]+")
# Things people type that are never part of an abbreviation's identity.
_ABBR_RE = re.compile(r"^[0-9A-Za-z\u0370-\u03ff][0-9A-Za-z\u0370-\u03ff\-./+ ]{0,30}$")


def toneless_pinyin(text: str) -> str | None:
    """``cuī chǎn sù`` / ``cui1chan3su4`` / ``cui chan su`` / ``lü`` → ``cuichansu`` / ``lv``.

    None when the text cannot be pinyin (anything but Latin letters, tone marks,
    tone numbers, spaces and apostrophes).
    """
    text = fold_common(text).lower().replace("u:", "ü")
    text = _TONE_NUMBERS_RE.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    # ü is written v in the stored toneless key (pypinyin's convention).
    decomposed = decomposed.replace("u\u0308", "v")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[\s'’]+", "", plain)
    return plain if _PINYIN_RE.match(plain) else None


@dataclass(frozen=True)
class QueryKeys:
    """Every key a query may match; an empty string means "not this form"."""

    text: str
    zh: str = ""
    en: str = ""
    abbr_text: str = ""
    abbr: str = ""
    abbr_variants: tuple[str, ...] = ()
    pinyin: str = ""
    initials: str = ""
    words: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (self.zh or self.en or self.abbr or self.pinyin)


def _abbr_variants(text: str, key: str) -> tuple[str, ...]:
    """Singular and plural of an abbreviation key: ``SCFAs`` ↔ ``SCFA``."""
    variants = {key}
    if len(key) > 2 and text.endswith("s") and not text.endswith("ss"):
        variants.add(key[:-1])
    elif key:
        variants.add(key + "s")
    return tuple(sorted(variants, key=lambda v: (v != key, v)))


def parse_query(text: str, lang: str | None = None) -> QueryKeys:
    """The keys to look up for ``text``; ``lang`` (zh, en, pinyin, abbr) narrows them."""
    text = fold_common(text)[:MAX_QUERY_LENGTH]
    if not text:
        return QueryKeys(text="")
    if has_cjk(text):
        return QueryKeys(text=text, zh=zh_key(text)) if lang in (None, "zh") else QueryKeys(text=text)
    keys: dict[str, object] = {"text": text}
    if lang in (None, "en"):
        keys["en"] = english_key(text)
        keys["words"] = tuple(_WORD_RE.findall(keys["en"]))
    if lang in (None, "abbr", "en") and _ABBR_RE.match(text):
        key = abbr_key(text)
        if key:
            keys.update(abbr_text=text, abbr=key, abbr_variants=_abbr_variants(text, key))
    if lang in (None, "pinyin", "zh"):
        pinyin = toneless_pinyin(text)
        if pinyin:
            keys["pinyin"] = pinyin
            compact = text.replace(" ", "").lower()
            if _PINYIN_RE.match(compact) and 2 <= len(compact) <= 12:
                keys["initials"] = compact
    return QueryKeys(**keys)  # type: ignore[arg-type]
