"""Abbreviation validation in the spirit of Schwartz & Hearst (2003).

An abbreviation's letters and digits must be found, in order and right to
left, in its full form, the first one at the start of a word. Extended for
biomedical writing: Greek letters match their spelled names (``NF-κB`` ←
``nuclear factor kappa-B``), a plural ``s`` may be absent from the full form
(``SCFAs``), a leading Greek qualifier may be missing (``α-MSH`` ←
``melanocyte-stimulating hormone``), and a doubled abbreviation left by the
PDF (``FXRFXR``) is repaired.
"""

from __future__ import annotations

import re

from .textforms import CJK, GREEK, GREEK_NAMES, ROMAN

__all__ = [
    "abbreviation_fits",
    "find_full_form",
    "looks_like_abbreviation",
    "repair_abbreviation",
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


def looks_like_abbreviation(token: str) -> bool:
    """True for tokens written like abbreviations: ``HPA``, ``mTOR``, ``Nrf2``, ``IL-1β``, ``SCFAs``."""
    token = token.strip()
    if not 2 <= len(token) <= 15 or not ABBREVIATION_CHARS.match(token) or re.search(f"[{CJK}]", token):
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
    # lower-case gene and protein names with a number: p53, p62
    return upper == 0 and digits > 0 and letters <= 3


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


def _forms_to_try(abbr: str) -> list[tuple[str, float]]:
    """The abbreviation as written, then the readings that cost some confidence."""
    forms = [(abbr, 1.0)]
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
    for form, weight in _forms_to_try(abbr):
        short = _letters(form)
        if sum(char.isalnum() for char in short) < 2 and len(form) > 1:
            continue
        if _match_start(short, long) >= 0 and weight > best:
            best = weight
    return best


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
