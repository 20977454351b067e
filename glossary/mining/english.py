"""The English side of a definition: what is English, which part abbreviates the other.

A bracket's parts, a keyword item or a name after ``又称`` are read here: whether
a part is an English term at all, which of two parts is the abbreviation, how
much of the English written before a Chinese gloss belongs to the term, and
which short forms only look like words (``Erk``) or like terms (``GCC-box``).
"""

from __future__ import annotations

import math
import re

from .abbreviations import abbreviation_fits, looks_like_abbreviation
from .lexicon import default_lexicon
from .textforms import CJK, GREEK, ROMAN, has_cjk

__all__ = [
    "FUNCTION_WORDS_EN",
    "english_and_abbreviation",
    "english_before",
    "is_code_name",
    "is_english",
    "short_name_is_abbreviation",
]

# An English full form; a comma or colon may stand inside one once the bracket is split.
ENGLISH = re.compile(f"^[A-Za-z{GREEK}0-9][A-Za-z{GREEK}{ROMAN}0-9 \\-\u2010\u2011\u2013/'’ʼ&.+,:]*$")
FUNCTION_WORDS_EN = frozenset("a an the of and or in on for to with by is are was were as at from that this".split())
CODE_NAME = re.compile(r"[A-Z0-9]{2,}[A-Za-z0-9/\-]*-[a-z]{3,}(?: [a-z]+)?")
# Erk, Leu, Treg: too short to tell an abbreviation from a word by its shape.
SHORT_CAPITALISED = re.compile(r"[A-Z][a-z]{2,3}")


def is_english(part: str) -> bool:
    """Written like an English term: Latin words, at most twelve of them, no Han characters."""
    return bool(ENGLISH.match(part)) and len(re.findall(r"[A-Za-z]{2,}", part)) >= 1 and len(part.split()) <= 12


def short_name_is_abbreviation(en: str, left: str) -> bool:
    """``细胞外信号调节激酶（Erk）``, ``亮氨酸（Leu）``: a short capitalised word that does not translate the Chinese.

    ``膝蓋 (Knee)`` is a translation: the lexicon says 膝盖 means knee. Erk, Leu
    and Treg are abbreviations, which no dictionary reads off the Chinese.
    """
    if not SHORT_CAPITALISED.fullmatch(en):
        return False
    chinese = left[-8:]
    return has_cjk(chinese) and not default_lexicon().explained(chinese, en)


def english_and_abbreviation(parts: list[str]) -> tuple[str, str]:
    """Tell the English full form from the abbreviation among the bracket's parts."""
    if len(parts) == 1:
        part = parts[0]
        if looks_like_abbreviation(part):
            return "", part
        return (part, "") if is_english(part) else ("", "")
    first, second = parts
    first_abbr, second_abbr = looks_like_abbreviation(first, second), looks_like_abbreviation(second, first)
    if not first_abbr and not second_abbr:  # Tregs: written in lower case, yet it abbreviates the other part
        first_abbr = " " not in first and abbreviation_fits(first, second) >= 1.0
        second_abbr = " " not in second and abbreviation_fits(second, first) >= 1.0 and not first_abbr
    if first_abbr and second_abbr:  # both look short: the one that fits into the other is the abbreviation
        first_abbr = abbreviation_fits(first, second) >= abbreviation_fits(second, first)
        second_abbr = not first_abbr
    if second_abbr and not first_abbr and is_english(first):
        return first, second
    if first_abbr and not second_abbr and is_english(second):
        return second, first
    if not first_abbr and not second_abbr and is_english(first) and is_english(second):
        # (regulatory T cells, Tregs): a short form whose letters do not fit; keep the pair only
        longer, shorter = sorted((first, second), key=len, reverse=True)
        if " " not in shorter and " " in longer:
            return longer, ""
    return "", ""


def is_code_name(en: str) -> bool:
    """``GCC-box（乙烯应答元件）``, ``AT-rich``: a coded name glossed by its function, not a translation.

    A code of two or more capitals or digits joined to an ordinary word; one
    capital (``X-ray``, ``T-cell``) is an ordinary English term.
    """
    return bool(CODE_NAME.fullmatch(en))


def english_before(english: str, zh: str) -> str:
    """The English term written before a Chinese gloss: ``heart rate variability（心率变异性）``.

    A run of capitalised words is taken whole; otherwise about one English word
    for every two Chinese characters, never starting on a function word.
    """
    words = english.split()
    if not words:
        return ""
    capitalised: list[str] = []
    for word in reversed(words[-8:]):
        if word[:1].isupper() or (capitalised and word.lower() in ("of", "and", "for", "in", "the")):
            capitalised.insert(0, word)
        else:
            break
    while capitalised and capitalised[0].lower() in ("of", "and", "for", "in", "the"):
        capitalised.pop(0)
    if capitalised and not (len(capitalised) == 1 and len(words) > 1 and capitalised[0] == words[0]):
        return " ".join(capitalised)
    if len(words) <= 5 and words[0].lower() not in FUNCTION_WORDS_EN:
        return " ".join(words)  # the whole clause-initial phrase: Heart rate variability（心率变异性）
    han = len(re.findall(f"[{CJK}]", zh))
    target = max(1, math.ceil(han / 2))
    best = ""
    for count in range(1, min(len(words), 8) + 1):
        first = words[-count].lower()
        if first in FUNCTION_WORDS_EN:
            continue
        candidate = " ".join(words[-count:])
        if not best or abs(count - target) < abs(len(best.split()) - target):
            best = candidate
    return best
