"""English words and their stems, as the bilingual lexicon compares them.

An English term or a CC-CEDICT definition is read as its content words:
function words dropped, Greek letter names folded to the letters, British
spellings folded to American ones (haem, oedema, tumour, centre), and each
plain word stemmed with the Snowball English stemmer. Stems are memoised; the
lexicon's cache file stores the memo (:func:`known_stems`,
:func:`remember_stems`) so that a warm start stems almost nothing.

:func:`split_glued` cuts a word a converter glued together
(``secretorycomponent``) into known English words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Container, Mapping

from .textforms import GREEK_NAMES, fold

__all__ = [
    "FUNCTION_WORDS",
    "GLUE_WORDS",
    "SPELLINGS",
    "TOKEN_RE",
    "english_stems",
    "english_words",
    "known_stems",
    "remember_stems",
    "respell",
    "split_glued",
    "stem",
]

FUNCTION_WORDS = frozenset(
    "a an the of and or nor in into onto on at to from by with for via per as than then so such but "
    "is are be been being was were am do does did has have had can may might will would shall should could must "
    "it its it's this that these those which who whom whose what there here "
    "he she they we you i me him her them us his their our your my one's oneself "
    "s sb sth sb's sth's someone somebody something etc esp lit fig coll all any some very more most also only just "
    "still even while during".split()
)

# British → American spellings, applied to lower-case words before stemming.
SPELLINGS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ae(?=m|c|d|sth|o)|^ae(?=t)", "e"),  # haem, caecum, paediatric, anaesthesia, palaeo, aetiology
        (r"^oe|(?<=[cfm])oe|oe(?=a$)", "e"),  # oedema, coeliac, foetus, amoeba, diarrhoea
        (r"(?<=[a-z]{3})our(?=$|s$|ed$|ing$|able$|ite$)", "or"),  # tumour, behaviour
        (r"(?<=[a-z]{2})([bt])re(?=s?$)", r"\1er"),  # fibre, centre
        (r"sulph", "sulf"),
        (r"(?<=[a-z]{4})is(?=e$|ed$|es$|ing$|ation)", "iz"),  # organise
        (r"(?<=[a-z]{3})ys(?=e$|ed$|es$|ing$)", "yz"),  # analyse
    )
)

GLUE_WORDS = frozenset("of to in on and for by".split())  # short words a converter glues to their neighbours

TOKEN_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]+")
_stemmers = threading.local()  # a snowball stemmer keeps state while it works: one per thread
_STEMS: dict[str, str] = {}  # word → stem, seeded with CC-CEDICT's words from the cache file


def respell(word: str) -> str:
    """A lower-case word with British spellings folded to American ones: ``oedema`` → ``edema``."""
    for pattern, replacement in SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def stem(word: str) -> str:
    """Stem of one lower-case English word, British spelling folded first (memoised)."""
    found = _STEMS.get(word)
    if found is None:
        found = _STEMS[word] = _stem_afresh(word)
    return found


def _stem_afresh(word: str) -> str:
    word = respell(word)
    if word.endswith(("eral", "erals")):
        return word.removesuffix("s")  # keep lateral apart from later, several from severe
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        import snowballstemmer  # lazily: only a cold lexicon build stems many words

        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def known_stems() -> dict[str, str]:
    """A copy of the memo: every word stemmed so far and its stem."""
    return dict(_STEMS)


def remember_stems(stems: Mapping[str, str]) -> None:
    """Seed the memo with words stemmed before (by the run that wrote the cache file)."""
    _STEMS.update(stems)


def english_words(text: str) -> list[tuple[str, str]]:
    """(word as written, stem) for each content word; a capital single letter (vitamin A) counts."""
    words = []
    for match in TOKEN_RE.finditer(fold(text)):
        token = match.group()
        lower = token.lower()
        if lower in FUNCTION_WORDS and not (len(token) == 1 and token.isupper()):
            continue
        lower = GREEK_NAMES.get(lower, lower)
        plain = lower.isalpha() and not ("\u0370" <= lower[0] <= "\u03ff")
        words.append((token, stem(lower) if plain and len(lower) > 2 else lower))
    return words


def english_stems(en: str) -> tuple[str, ...]:
    """Content words of an English term, lower-cased and stemmed; function words dropped.

    ``"the lateral geniculate nucleus"`` → ``("lateral", "genicul", "nucleus")``.
    """
    return tuple(found for _, found in english_words(en))


def split_glued(word: str, vocabulary: Container[str]) -> tuple[str, ...]:
    """A lower-case word cut into the fewest known words (stems in ``vocabulary``), at most four.

    ``secretorycomponent`` → (``secretory``, ``component``); each piece has three
    letters or more, or is a short function word (:data:`GLUE_WORDS`). The word
    itself when it is short, known, or no cut explains it.
    """
    if len(word) < 8 or not word.isalpha() or stem(word) in vocabulary:
        return (word,)
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            piece, before = word[start:end], best[start]
            if before is None or not (piece in GLUE_WORDS or (len(piece) >= 3 and stem(piece) in vocabulary)):
                continue
            current = best[end]
            if current is None or len(before) + 1 < len(current):
                best[end] = (*before, piece)
    found = best[len(word)]
    return found if found and len(found) <= 4 else (word,)
