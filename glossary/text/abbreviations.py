"""What counts as an abbreviation, and when two spellings are the same one.

One predicate for every door: the miner reading brackets, the formats guessing
a term's kind, search reading a query and the writer's check reading a draft
all ask :func:`looks_like_abbreviation`. :func:`abbreviation_variant_key` folds
the spellings writers mix for one abbreviation (plural ``SCFAs``, case, a Greek
letter or its name: ``NF-κB``, ``NF-kB``, ``NF-kappaB``) to one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .convert import has_cjk
from .scripts import CJK, GREEK, GREEK_NAMES, GREEK_TO_LATIN, ROMAN

__all__ = ["abbreviation_variant_key", "looks_like_abbreviation"]

ABBREVIATION_CHARS = re.compile(f"^[A-Za-z0-9{GREEK}][A-Za-z0-9{GREEK}{ROMAN}\\-/+&.]*$")
GLUED_WORDS = re.compile(r"[A-Z][a-z]{3,}")  # Title/Abstract: two words, not an abbreviation
# Two-letter words that a capital at the start of a sentence would make look like Th or Ig.
SHORT_WORDS = frozenset(
    "a an the and or of in on for to with by from as at is are was were be this that these "
    "those which who we our its their it has have had not am do go he if me my no so up us".split()
)
# A last hyphenated part that is an ordinary lower-case word names a kind of thing, so the
# whole is a name, not a short form: GCC-box, ERE-element, AT-rich, W2-site.
WORD_SUFFIX = re.compile(r"[-\u2010\u2011\u2013]([a-z]{3,})$")
# A Greek letter's name spelled inside an abbreviation: NF-kappaB, TNF-alpha, IL-1beta, ERbeta.
# Only a lower-case name after a non-lower-case character, so PIP2 or RhoA keep their letters.
SPELLED_GREEK = re.compile("(?<![a-z])(" + "|".join(sorted(GREEK_NAMES, key=len, reverse=True)) + ")(?=[^a-z]|$)")
SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2212./_·]+")


def looks_like_abbreviation(token: str, full: str = "") -> bool:
    """True for tokens written like abbreviations: ``HPA``, ``mTOR``, ``Nrf2``, ``IL-1β``, ``SCFAs``, ``Th``.

    Two short forms may stand together (``CpG ODN``); given the ``full`` form, a
    short form may also keep its head words (``NK cell`` for ``natural killer cell``).
    """
    token = token.strip()
    if " " in token:
        return _looks_like_phrase_abbreviation(token, full)
    if not 2 <= len(token) <= 15 or not ABBREVIATION_CHARS.match(token) or has_cjk(token):
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


@lru_cache(maxsize=8192)
def abbreviation_variant_key(abbr: str) -> str:
    """One key for the spellings of one abbreviation: ``SCFA``/``SCFAs``, ``NF-κB``/``NF-kB``/``NF-kappaB``.

    Folds width (NFKC), a plural ``s`` after a capital or digit, case, Greek
    letters and their spelled names (to the Latin letter the name starts with),
    hyphens, dots and spaces, and a Chinese head noun (``NKT细胞`` → ``nkt``).
    """
    text = re.sub(f"[{CJK}]+$", "", unicodedata.normalize("NFKC", abbr).strip())
    if len(text) > 2 and text.endswith("s") and (text[-2].isupper() or text[-2].isdigit()):
        text = text[:-1]
    text = SPELLED_GREEK.sub(lambda match: GREEK_NAMES[match.group(1)], text)
    text = "".join(GREEK_TO_LATIN.get(char, char) for char in text.lower())
    return SEPARATORS.sub("", text)
