"""Abbreviation validation in the spirit of Schwartz & Hearst (2003).

An abbreviation's letters and digits must be found, in order and right to
left, in its full form, the first one at the start of a word; letters may come
from inside words (``mTORC1`` ← ``mechanistic target of rapamycin complex 1``).
Extended for biomedical writing: Greek letters match their spelled names
(``NF-κB`` ← ``nuclear factor kappa-B``), a plural ``s`` may be absent from the
full form (``SCFAs``), a leading Greek qualifier may be missing (``α-MSH`` ←
``melanocyte-stimulating hormone``), a number may stand elsewhere in the full
form or be spelled (``D1R`` ← ``type 1 dopamine receptor``, ``PIP2`` ←
``phosphatidylinositol bisphosphate``), a short form may keep a head word of its full
form (``NK cell``) and a doubled abbreviation left by the PDF (``FXRFXR``) is
repaired.
"""

from __future__ import annotations

import re

from ..text import looks_like_abbreviation  # the one predicate every door asks
from .textforms import CJK, GREEK, GREEK_NAMES

__all__ = [
    "abbreviation_fits",
    "find_full_form",
    "looks_like_abbreviation",
    "repair_abbreviation",
    "shares_initial",
    "split_chinese_head",
]

GREEK_TO_LATIN = {letter: name[0] for name, letter in GREEK_NAMES.items()}
_GREEK_NAME_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(GREEK_NAMES, key=len, reverse=True)) + r")(?![a-z])", re.IGNORECASE
)
MAX_FULL_FORM_WORDS = 12
STOP_WORDS = frozenset(
    "a an the and or of in on for to with by from as at is are was were be this that these "
    "those which who we our its their it has have had not".split()
)
# A Latin short form with a Chinese head noun of its full form: NKT细胞 for natural killer T cell.
CHINESE_HEADED = re.compile(f"^([A-Za-z0-9{GREEK}][A-Za-z0-9{GREEK}\\-]{{0,9}})([{CJK}]{{1,3}})$")
ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
ROMAN_VALUES.update({chr(0x2160 + value - 1): value for value in range(1, 13)})  # Ⅰ … Ⅻ
SPELLED_NUMBERS = {
    "one": 1, "first": 1, "mono": 1, "two": 2, "second": 2, "bis": 2, "three": 3, "third": 3, "tri": 3,
    "tris": 3, "four": 4, "fourth": 4, "tetra": 4, "five": 5, "fifth": 5, "penta": 5, "six": 6, "sixth": 6,
    "hexa": 6, "seven": 7, "seventh": 7, "hepta": 7, "eight": 8, "eighth": 8, "octa": 8, "nine": 9,
    "ninth": 9, "nona": 9, "ten": 10, "tenth": 10, "deca": 10,
}  # fmt: skip
# Multiplying prefixes count only where they start a word: trisphosphate, tetrahydro…
NUMBER_PREFIX = re.compile(r"(?<![a-z])(mono|bis|tris|tri|tetra|penta|hexa|hepta|octa|nona|deca)(?=[a-z])")


def split_chinese_head(token: str) -> tuple[str, str] | None:
    """``M细胞`` → (``M``, ``细胞``): a Latin short form followed by a Chinese head noun, else None."""
    match = CHINESE_HEADED.match(token.strip())
    if not match or not re.search("[A-Za-z]", match.group(1)):
        return None
    return match.group(1), match.group(2)


def repair_abbreviation(abbr: str) -> str:
    """Undo a doubling left by PDF extraction: ``FXRFXR`` → ``FXR``."""
    half, odd = divmod(len(abbr), 2)
    if not odd and half >= 2 and abbr[:half] == abbr[half:]:
        return abbr[:half]
    return abbr


def _letters(text: str) -> str:
    """Lower-case, Greek names → Greek letters → Latin initials: the alphabet both sides share."""
    text = _GREEK_NAME_RE.sub(lambda m: GREEK_NAMES[m.group(1).lower()], text)
    return "".join(GREEK_TO_LATIN.get(char, char) for char in text.lower())


def _match_start(short: str, long: str) -> int:
    """Schwartz & Hearst's right-to-left match; the start index in ``long``, or -1."""
    s, position = len(short) - 1, len(long) - 1
    while s >= 0:
        char = short[s]
        if not char.isalnum():
            s -= 1
            continue
        while position >= 0 and (
            long[position] != char or (s == _first_alnum(short) and position > 0 and long[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return -1
        position -= 1
        s -= 1
    return position + 1


def _first_alnum(text: str) -> int:
    return next((i for i, char in enumerate(text) if char.isalnum()), 0)


def _numbers_in(full: str) -> set[int]:
    """Every number the full form states, in digits, Roman numerals or words."""
    numbers = {int(digits) for digits in re.findall(r"\d+", full)}
    for word in re.findall(r"[A-Za-z\u2160-\u216b]+", full):
        lower = word.lower()
        if lower in SPELLED_NUMBERS:
            numbers.add(SPELLED_NUMBERS[lower])
        elif not word.isascii() and word in ROMAN_VALUES:
            numbers.add(ROMAN_VALUES[word])  # angiotensin Ⅱ
        elif word.isupper() and lower in ROMAN_VALUES:
            numbers.add(ROMAN_VALUES[lower])  # type II, not the letters of an ordinary word
    numbers.update(SPELLED_NUMBERS[prefix] for prefix in NUMBER_PREFIX.findall(full.lower()))
    return numbers


def _without_stated_numbers(abbr: str, full: str) -> str | None:
    """The abbreviation without its numbers when the full form states each of them somewhere.

    Authors move numbers (``D1R`` ← ``type 1 dopamine receptor``) or spell them
    (``PIP2`` ← ``phosphatidylinositol bisphosphate``); the letters must still fit in order.
    """
    groups = re.findall(r"\d+", abbr)
    if not groups or not all(int(group) in _numbers_in(full) for group in groups):
        return None
    return re.sub(r"[-\u2010\u2011\u2013]?\d+", "", abbr)


def _forms_to_try(abbr: str, full: str = "") -> list[tuple[str, float]]:
    """The abbreviation as written, then the readings that cost some confidence."""
    forms = [(abbr, 1.0)]
    numberless = _without_stated_numbers(abbr, full) if full else None
    if numberless:
        forms.append((numberless, 1.0))
    if len(abbr) > 2 and abbr.endswith("s") and (abbr[-2].isupper() or abbr[-2].isdigit()):
        forms.append((abbr[:-1], 1.0))  # plural: SCFAs
    repaired = repair_abbreviation(abbr)
    if repaired != abbr:
        forms.append((repaired, 0.9))
    prefix = re.match(f"^[{GREEK}0-9]+-?", abbr)
    if prefix and len(abbr) - prefix.end() >= 2:
        forms.append((abbr[prefix.end() :], 0.8))  # α-MSH for melanocyte-stimulating hormone
    return forms


def abbreviation_fits(abbr: str, full: str) -> float:
    """How well ``abbr`` abbreviates ``full``: 1.0 a clean match, lower for repaired readings, 0 none."""
    long = _letters(full)
    best = 0.0
    for form, weight in _forms_to_try(abbr, full):
        short = _letters(form)
        if sum(char.isalnum() for char in short) < 2 and len(form) > 1:
            continue
        if _match_start(short, long) >= 0 and weight > best:
            best = weight
    return best


def shares_initial(abbr: str, full: str) -> bool:
    """Whether both start with the same letter, Greek read as Latin: ``GSH`` and ``glutathione``.

    An explicit pairing (a bracket holding both, a legend entry) whose letters do
    not all fit still names its concept when the initials agree.
    """
    first = next((char for char in _letters(abbr) if char.isalnum()), "")
    start = next((char for char in _letters(full) if char.isalnum()), "")
    return bool(first) and first == start


def find_full_form(abbr: str, preceding: str) -> str | None:
    """The English full form that ``abbr`` abbreviates at the end of ``preceding``, if any.

    Looks at no more than min(|A| + 5, 2|A|) words, as Schwartz & Hearst do, and
    keeps the shortest ending that matches, widened to whole words.
    """
    words = re.findall(r"\S+", preceding)
    short_length = sum(char.isalnum() for char in abbr)
    limit = min(short_length + 5, 2 * short_length, MAX_FULL_FORM_WORDS)
    window = words[-limit:] if limit else []
    for first in range(len(window) - 1, -1, -1):
        candidate = " ".join(window[first:])
        if window[first].lower() in STOP_WORDS:
            continue
        if abbreviation_fits(abbr, candidate) and _first_word_matches(abbr, window[first]):
            if candidate.replace(" ", "").lower() == abbr.lower():
                return None
            return candidate
    return None


def _first_word_matches(abbr: str, word: str) -> bool:
    first = next((char for char in _letters(abbr) if char.isalnum()), "")
    start = next((char for char in _letters(word) if char.isalnum()), "")
    return bool(first) and first == start
