"""Match keys: when two spellings of a term count as the same term.

Pure text functions shared by the models, which store the keys on insert so
that search never computes them per row; by search, which computes the same
keys for a query; by the formats and the importers; and by the miner, which
merges occurrences with them. Also the one home of the invisible characters a
term never holds (zero-width characters, dropped; bidirectional controls,
which the concept service refuses): keys ignore both.

``zh_key``, ``english_key`` and ``abbr_key`` are stored (``term.key``):
changing what they return needs a migration that recomputes the stored keys.
``english_merge_key`` is the miner's, stored nowhere (see its docstring for
why it differs from ``english_key``).
"""

from __future__ import annotations

import re
import unicodedata

from .convert import to_simplified
from .scripts import GREEK, GREEK_NAMES, GREEK_SPELLED

__all__ = [
    "CONTROL_RE",
    "abbr_key",
    "bidi_control_in",
    "drop_invisible",
    "drop_zero_width",
    "english_key",
    "english_merge_key",
    "fold_common",
    "greek_names_to_letters",
    "pinyin_forms",
    "zh_key",
]

DASHES_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\ufe58\ufe63\uff0d]")
APOSTROPHES_RE = re.compile("[\u2018\u2019\u02bc\u02b9\u2032\uff07`]")
SPACE_RE = re.compile(r"\s+")
# Control characters other than white space: never part of a term (and PostgreSQL refuses NUL).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Zero-width characters: invisible, so "oxy\u200btocin" looks like oxytocin but would not match it.
ZERO_WIDTH_RE = re.compile("[\u200b-\u200d\u2060\ufeff]")
# Bidirectional controls: they reorder what is shown ("abc\u202egnp.exe" displays as "abcexe.png").
BIDI_CONTROL_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A Greek letter's name written as a word of its own, in any case: "tumor necrosis factor Alpha".
GREEK_NAME_WORD_RE = re.compile(r"\b(" + "|".join(sorted(GREEK_NAMES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# A Greek letter and the spaces beside it, which the merge key drops: "κ b" → "κb".
GREEK_JOIN_RE = re.compile(f" *([{GREEK}]) *")
_SPELLED_OUT = str.maketrans(GREEK_SPELLED)


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


def greek_names_to_letters(text: str) -> str:
    """Greek letter names written as words, in any case, as the letters: ``TNF alpha`` → ``TNF α``.

    Only whole words: ``alphabet``, ``betaine`` and ``NF-kappaB`` are left alone.
    """
    return GREEK_NAME_WORD_RE.sub(lambda match: GREEK_NAMES[match.group(1).lower()], text)


def zh_key(text: str) -> str:
    """The matching key of a Chinese term: simplified, folded, no spaces, lower-case Latin."""
    return fold_common(to_simplified(text)).lower().replace(" ", "")


def english_key(text: str) -> str:
    """The matching key of an English term: case, hyphen and space variants equal (stored).

    ``T-cell receptor`` and ``T cell receptor`` → ``t cell receptor``. Greek letters
    and their names stay as written: ``kappa`` and ``κ`` are different keys here
    (search reads both spellings of a query, see ``search/query.greek_variants``).
    """
    folded = fold_common(text).lower()
    folded = re.sub(r"[-/_]+", " ", folded)
    return SPACE_RE.sub(" ", folded).strip()


def english_merge_key(text: str) -> str:
    """The miner's key for merging occurrences of one English term across a batch (stored nowhere).

    Built on :func:`english_key`, so spellings that key equal merge here too
    (``T-cell receptor`` and ``T cell receptor``); looser where the miner
    meets spellings that the stored key keeps apart:

    * Greek letter names become the letters, and a Greek letter joins the words
      next to it: ``nuclear factor kappa B``, ``nuclear factor-κB`` and
      ``nuclear factor κB`` are one key, as are ``TNF alpha`` and ``TNF-α``;
    * punctuation a sentence leaves at the end of a term goes (``receptor.``).

    The stored key does not do this because changing ``term.key`` needs a
    migration; search reads a query's Greek spellings both ways instead
    (``search.query.greek_variants``).
    """
    return GREEK_JOIN_RE.sub(r"\1", greek_names_to_letters(english_key(text))).strip(" .,;:")


def abbr_key(text: str) -> str:
    """Case-insensitive key of an abbreviation: NF-κB, nf-kb and NFKB are equal (stored).

    Greek letters are spelled out in Latin letters (κ → k, θ → th: ``scripts.GREEK_SPELLED``).
    """
    folded = fold_common(text).lower().translate(_SPELLED_OUT)
    return re.sub(r"[\s\-./_]+", "", folded)


def pinyin_forms(text: str) -> tuple[str, str, str, str]:
    """Pinyin of a Chinese term: (tone marks spaced, toneless key, tone-number key, initials).

    ``催产素`` → ``("cuī chǎn sù", "cuichansu", "cui1chan3su4", "ccs")``. Latin letters and
    digits inside the term (``5-羟色胺``, ``神经肽Y``) are kept in every form.
    """
    from pypinyin import Style, pinyin  # lazily: the pinyin dictionaries take a moment
    from pypinyin.contrib.tone_convert import tone_to_tone3

    simplified = to_simplified(fold_common(text))

    # Non-Han runs come back marked so that they are kept, lower-cased, as written.
    def keep(chars: str) -> str:
        return "\x00" + chars

    # One look-up, the tone numbers converted from the marks (half the time of asking for both: an
    # import computes this for every Chinese term).
    spaced, plain, numbered, initials = [], [], [], []
    for (mark,) in pinyin(simplified, style=Style.TONE, errors=keep):
        if mark.startswith("\x00"):
            run = re.sub(r"[^0-9a-z\u0370-\u03ff]+", "", mark[1:].lower())
            if run:
                spaced.append(run)
                plain.append(run)
                numbered.append(run)
                initials.append(run)
            continue
        number = tone_to_tone3(mark, neutral_tone_with_five=True)
        spaced.append(mark)
        plain.append(re.sub(r"\d", "", number))
        numbered.append(number)
        initials.append(number[:1])
    return " ".join(spaced), "".join(plain), "".join(numbered), "".join(initials)
