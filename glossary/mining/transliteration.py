"""Transliterations: a Chinese word that spells out the sound of an English one.

Drug, genus and eponym names are often rendered by sound, not by meaning:
雷帕霉素 (léi pà méi sù) for *rapamycin*, 克罗恩 for *Crohn*, 戴阿利斯特 for
*Dialister*. No dictionary lists most of them, so the lexicon cannot account
for them; their sound can. The initials of the word's pinyin syllables are
compared, in order and by broad sound class (l/r, b/p, d/t, g/k/c, s/z/c/x…),
with the consonants that start the English word's syllables.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .textforms import has_cjk

__all__ = ["sounds_like"]

# Broad classes: Chinese has no r/l or voiced/voiceless contrast the way English spells it.
SOUND_CLASS = {
    **dict.fromkeys("bp", "p"),
    **dict.fromkeys("dt", "t"),
    **dict.fromkeys("gk", "k"),
    **dict.fromkeys("lr", "l"),
    **dict.fromkeys("szjqx", "s"),
    **dict.fromkeys("fv", "f"),
    "m": "m",
    "n": "n",
    "h": "h",
    "w": "w",
    "y": "y",
}
VOWELS = frozenset("aeiouy")
MIN_SYLLABLES = 2
MIN_SHARE = 0.75  # of the Chinese syllables whose initial finds its consonant in order
LOOKAHEAD = 3  # English consonants a Chinese syllable may skip (codas, clusters: Crohn → 克罗恩)


@lru_cache(maxsize=20_000)
def _pinyin_initials(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # lazily: its dictionaries take a moment to load

    initials = []
    for syllable in lazy_pinyin(word, style=Style.NORMAL, errors="ignore"):
        opening = re.match(r"zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw]", syllable)
        head = opening.group(0) if opening else ""
        # y and w open a syllable the way a vowel does (因 yin for -ine, 瓦 wa)
        glide = head in ("y", "w")
        retroflex = {"zh": "s", "ch": "s", "sh": "s", "c": "s"}
        initials.append("" if glide else retroflex.get(head, SOUND_CLASS.get(head, head)))
    return tuple(initials)


@lru_cache(maxsize=20_000)
def _english_consonants(word: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the word starts with a vowel, and the sound class of each consonant in order
    (repeats and silent h folded): rapamycin → l p m s n; Crohn → k l n."""
    word = re.sub(r"[^a-z]", "", word.lower())
    word = re.sub(r"(?<=[a-z])h", "", word.replace("ph", "f"))
    classes: list[str] = []
    for index, char in enumerate(word):
        if char in VOWELS:
            continue
        if char == "c":
            sound = "s" if word[index + 1 : index + 2] in ("e", "i", "y") else "k"
        else:
            sound = SOUND_CLASS.get(char, char)
        if not classes or classes[-1] != sound:
            classes.append(sound)
    return (word[:1] in VOWELS), tuple(classes)


def sounds_like(zh: str, en_word: str) -> bool:
    """Whether the Chinese word could be a transliteration of the English word (or of its start)."""
    if not has_cjk(zh) or len(en_word) < 4:
        return False
    initials = _pinyin_initials(zh)
    voiced = [initial for initial in initials if initial]
    if len(initials) < MIN_SYLLABLES or not voiced:
        return False
    starts_with_vowel, consonants = _english_consonants(en_word)
    if (initials[0] == "") != starts_with_vowel:
        return False
    matched, position = 0, 0
    for initial in voiced:
        found = next(
            (i for i in range(position, min(len(consonants), position + LOOKAHEAD)) if consonants[i] == initial), None
        )
        if found is not None:
            matched += 1
            position = found + 1
    return matched / len(voiced) >= MIN_SHARE and bool(consonants) and voiced[0] == consonants[0]
