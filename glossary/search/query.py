"""Reading a query: which keys to look up for whatever the user typed.

Pure functions over text. A query is turned into every key it could be —
a Chinese key (simplified, from either script), English and abbreviation keys,
toneless pinyin and pinyin initials — using the same functions that computed
the stored keys (``glossary.text.keys``), so a query and a term always agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text import GREEK_NAMES, abbr_key, english_key, fold_common, has_cjk, looks_like_abbreviation, zh_key

__all__ = [
    "LANG_FILTERS",
    "MAX_QUERY_LENGTH",
    "QueryKeys",
    "compact_zh",
    "greek_variants",
    "parse_query",
    "toneless_pinyin",
]

MAX_QUERY_LENGTH = 200
LANG_FILTERS = ("zh", "en", "pinyin", "abbr")

_TONE_NUMBERS_RE = re.compile(r"(?<=[a-zü:v])[1-5]")
_PINYIN_RE = re.compile(r"^[a-zv]+$")
# Words as the word index cuts them (letters with their accents, digits): "cuī chǎn sù" is three words.
_WORD_RE = re.compile(r"[^\W_]+")
# Greek letters and their names, from the one table in ``glossary.text.scripts``.
_GREEK_LETTERS = {letter: name for name, letter in GREEK_NAMES.items()}
# A spelled-out name standing alone, or glued to one letter (kappaB), never inside a word (betaine, alphabet).
_GREEK_NAME_RE = re.compile(r"(?<![a-z])(" + "|".join(sorted(GREEK_NAMES, key=len, reverse=True)) + r")(?![a-z]{2})")
_GREEK_LETTER_RE = re.compile("[" + "".join(_GREEK_LETTERS) + "]")
# What Chinese terms put between their parts and a reader leaves out: 肠-脑轴, 5-羟色胺, 下丘脑·垂体.
_ZH_SEPARATORS_RE = re.compile("[-·・‧ ]")
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


def compact_zh(key: str) -> str:
    """A Chinese key without the hyphens, middle dots and spaces between its parts (stored the same way,
    see ``models/search_index.py``)."""
    return _ZH_SEPARATORS_RE.sub("", key)


def _names_to_letters(text: str) -> str:
    return _GREEK_NAME_RE.sub(lambda m: GREEK_NAMES[m.group(1)], text)


def _letters_to_names(text: str, spaced: bool) -> str:
    named = _GREEK_LETTER_RE.sub(
        lambda m: f" {_GREEK_LETTERS[m.group()]} " if spaced else _GREEK_LETTERS[m.group()], text
    )
    return re.sub(" +", " ", named).strip()


def greek_variants(key: str) -> tuple[str, ...]:
    """Other spellings of an English key's Greek letters: ``interleukin 1 beta`` → ``interleukin 1β``,
    ``interleukin 1 β``; ``nf κb`` → ``nf kappa b``, ``nf kappab``. Empty without Greek in either form."""
    variants: list[str] = []
    lettered = _names_to_letters(key)
    if lettered != key:
        variants += [lettered, re.sub(r"(?<=[0-9]) (?=[α-ω])", "", lettered)]
    if _GREEK_LETTER_RE.search(key):
        variants += [_letters_to_names(key, spaced=True), _letters_to_names(key, spaced=False)]
    return tuple(v for v in dict.fromkeys(variants) if v and v != key)


@dataclass(frozen=True)
class QueryKeys:
    """Every key a query may match; an empty string means "not this form"."""

    text: str
    zh: str = ""
    zh_compact: str = ""
    en: str = ""
    en_variants: tuple[str, ...] = ()
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
        if lang not in (None, "zh"):
            return QueryKeys(text=text)
        key = zh_key(text)
        return QueryKeys(text=text, zh=key, zh_compact=compact_zh(key))
    keys: dict[str, object] = {"text": text}
    if lang in (None, "en"):
        en = english_key(text)
        keys["en"] = en
        keys["words"] = tuple(_WORD_RE.findall(en))
        keys["en_variants"] = greek_variants(en)
    # The one abbreviation predicate, in any case (people type hpa, nf-kb); lang=abbr says so outright.
    typed_as_abbr = lang == "abbr" or looks_like_abbreviation(text) or looks_like_abbreviation(text.upper())
    if lang in (None, "abbr", "en") and _ABBR_RE.match(text) and typed_as_abbr:
        key = abbr_key(text)
        if key:
            # TNF-alpha is TNF-α; TNF-α is also TNF-alpha where the glossary spells it out.
            lowered = text.lower()
            spelled = {abbr_key(_names_to_letters(lowered)), abbr_key(_letters_to_names(lowered, spaced=False))}
            variants = _abbr_variants(text, key) + tuple(sorted(spelled - {key}))
            keys.update(abbr_text=text, abbr=key, abbr_variants=variants)
    if lang in (None, "pinyin", "zh"):
        pinyin = toneless_pinyin(text)
        if pinyin:
            keys["pinyin"] = pinyin
            compact = text.replace(" ", "").lower()
            if _PINYIN_RE.match(compact) and 2 <= len(compact) <= 12:
                keys["initials"] = compact
    return QueryKeys(**keys)  # type: ignore[arg-type]
