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

from .textforms import CJK, GREEK, GREEK_NAMES, ROMAN

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
ABBREVIATION_CHARS = re.compile(f"^[A-Za-z0-9{GREEK}][A-Za-z0-9{GREEK}{ROMAN}\\-/+&.]*$")
GLUED_WORDS = re.compile(r"[A-Z][a-z]{3,}")  # Title/Abstract: two words, not an abbreviation
MAX_FULL_FORM_WORDS = 12
STOP_WORDS = frozenset(
    "a an the and or of in on for to with by from as at is are was were be this that these "
    "those which who we our its their it has have had not".split()
)
# Two-letter words that a capital at the start of a sentence would make look like Th or Ig.
SHORT_WORDS = STOP_WORDS | frozenset("am do go he if me my no so up us".split())
# A last hyphenated part that is an ordinary lower-case word names a kind of thing, so the
# whole is a name, not a short form: GCC-box, ERE-element, AT-rich, W2-site.
WORD_SUFFIX = re.compile(r"[-\u2010\u2011\u2013]([a-z]{3,})$")
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


def looks_like_abbreviation(token: str, full: str = "") -> bool:
    """True for tokens written like abbreviations: ``HPA``, ``mTOR``, ``Nrf2``, ``IL-1β``, ``SCFAs``, ``Th``.

    Two short forms may stand together (``CpG ODN``); given the ``full`` form, a
    short form may also keep its head words (``NK cell`` for ``natural killer cell``).
    """
    token = token.strip()
    if " " in token:
        return _looks_like_phrase_abbreviation(token, full)
    if not 2 <= len(token) <= 15 or not ABBREVIATION_CHARS.match(token) or re.search(f"[{CJK}]", token):
        return False
    suffix = WORD_SUFFIX.search(token)
    if suffix and suffix.group(1) not in GREEK_NAMES:
        return False
    letters = sum(char.isalpha() for char in token)
    digits = sum(char.isdigit() for char in token)
    upper = sum(char.isupper() for char in token)
    greek = sum("\u0370" <= char <= "\u03ff" for char in token)
    if letters == 0 or digits > 4 or digits > 2 * letters or len(GLUED_WORDS.findall(token)) >= 2:
        return False
    if upper >= 2:
        return True
    if upper == 1 and (digits or greek) and letters <= 8:
        return True
    if len(token) == 2 and token[0].isupper() and token[1].islower() and token.lower() not in SHORT_WORDS:
        return True  # no English term has two letters: Th, Ig, and element symbols such as Zn
    # lower-case gene and protein names with a number: p53, p62
    return upper == 0 and digits > 0 and letters <= 3


def _looks_like_phrase_abbreviation(phrase: str, full: str) -> bool:
    """``CpG ODN`` (short forms side by side) or, given its full form, ``NK cell`` / ``Th17 cells``."""
    words = phrase.split()
    if not 2 <= len(words) <= 3 or len(phrase) > 20 or not looks_like_abbreviation(words[0]):
        return False
    rest = words[1:]
    if all(looks_like_abbreviation(word) for word in rest):
        return True
    # The head words the short form keeps are the last words of its full form.
    full_words = [word.lower().rstrip("s") for word in full.split()]
    kept = [word.lower().rstrip("s") for word in rest]
    return bool(full_words) and len(full_words) > len(kept) and full_words[-len(kept) :] == kept


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
