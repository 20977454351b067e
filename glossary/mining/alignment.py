"""Alignment of a Chinese option with the other side of the bracket.

For each word of the left context: does the English account for it (外侧 for
*lateral*), does the lexicon know it but find no counterpart (context the
English lacks: 消化系统 before *Crohn's disease*), or is it unknown? With an
abbreviation alone, do its translations start with one of the abbreviation's
letters? From these, the features that describe how an option lines up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import Lexicon, english_stems
from .textforms import has_cjk
from .transliteration import sounds_like
from .words import Token, is_grammar

__all__ = ["Sides", "align_word", "alignment_features", "other_side"]

COMPOUND_LENGTH = 10  # English words this long are usually several morphemes (hydroxytryptamine)
Alignment = tuple[str, int, frozenset[str]]  # state, index of the English word (-1: none), letters


@dataclass(frozen=True)
class Sides:
    """What the other side of the bracket offers: English stems, abbreviation letters."""

    stems: tuple[str, ...]
    words: tuple[str, ...]  # the English word each stem came from, for showing matches
    letters: frozenset[str]
    letter_list: tuple[str, ...]  # with repeats (MMP: m, m, p), plural s dropped
    first_letter: str  # the abbreviation's first letter: the term's first word usually gives it


def other_side(en: str, abbr: str, lexicon: Lexicon) -> Sides:
    """The English words (glued ones cut apart: ``secretorycomponent``) with their stems, and the letters."""
    pairs = [
        (stem, piece)
        for word in re.split(r"[\s\-\u2010\u2011\u2013/,]+", en)
        if word
        for piece in lexicon.split_glued(word)
        for stem in english_stems(piece)[:1]
    ]
    core = abbr[:-1] if len(abbr) > 2 and abbr.endswith("s") and abbr[-2].isupper() else abbr
    letters = [char.lower() for char in core if char.isascii() and char.isalpha()]
    return Sides(
        tuple(stem for stem, _ in pairs),
        tuple(word for _, word in pairs),
        frozenset(letters),
        tuple(letters),
        "".join(letters[:1]),
    )


def align_word(lexicon: Lexicon, token: Token, sides: Sides) -> Alignment:
    """How the other side treats one word: its state ("match", "foreign" or "unknown"), the index
    of the English word it matches (-1: none) and the abbreviation letters it accounts for.

    With an abbreviation alone, a word matches when one of its translations
    starts with one of the abbreviation's letters.
    """
    word = token.word
    none: frozenset[str] = frozenset()
    if not has_cjk(word):
        latin = word.lower().strip()
        for position, written in enumerate(sides.words):
            if latin and (latin == written.lower() or (len(latin) > 1 and latin in written.lower())):
                return "match", position, none
        # a lone capital (T细胞, B淋巴细胞) may give a letter; IL-33 or CD4 glued before a name does not
        if not sides.words and len(latin) == 1 and latin in sides.letters:
            return "match", (0 if latin == sides.first_letter else -1), frozenset(latin)
        return "unknown", -1, none
    if is_grammar(token):
        return "unknown", -1, none
    # A lone character the lexicon cannot place is more likely a piece of an unknown word than context.
    known = len(word) > 1 and (lexicon.knows(word) or made_of_known_words(lexicon, word))
    if sides.stems:
        for position, stem in enumerate(sides.stems):
            if lexicon.match(word, (stem,)) >= 0.5:
                return "match", position, none
        if not lexicon.knows(word):  # a name no dictionary has may spell out the English sound: 雷帕霉素 rapamycin
            for position, written in enumerate(sides.words):
                if sounds_like(word, written):
                    return "match", position, none
        return ("foreign" if known else "unknown"), -1, none
    glosses = lexicon.glosses(word) if known else frozenset()
    if not glosses and len(word) > 1:
        glosses = piece_glosses(lexicon, word)
    if sides.letters and glosses:
        initials = frozenset(gloss[:1] for gloss in glosses) & sides.letters
        if not initials:
            return ("foreign" if known else "unknown"), -1, none
        return "match", (0 if sides.first_letter in initials else -1), initials
    return "unknown", -1, none


def made_of_known_words(lexicon: Lexicon, word: str) -> bool:
    """还原性 = 还原 + 性: a word CC-CEDICT lacks but whose two halves it knows can be judged too."""
    return any(lexicon.knows(word[:cut]) and lexicon.knows(word[cut:]) for cut in range(1, len(word)))


def piece_glosses(lexicon: Lexicon, word: str) -> frozenset[str]:
    """For a word the lexicon lacks, the glosses of the longest known words it starts and ends with
    (诱导型 → 诱导, 蛋白酶 → 蛋白 + 酶): where its translation's first letters come from."""
    found: frozenset[str] = frozenset()
    for end in range(len(word) - 1, 0, -1):
        if lexicon.knows(word[:end]) and (end > 1 or not found):
            found |= lexicon.glosses(word[:end])
            break
    for start in range(1, len(word)):
        if lexicon.knows(word[start:]):
            found |= lexicon.glosses(word[start:])
            break
    return found


def alignment_features(
    tokens: tuple[Token, ...],
    index: int,
    before: int,
    aligned: list[Alignment],
    sides: Sides,
    lexicon: Lexicon,
) -> tuple[dict[str, float], list[str]]:
    """How the option's words line up with the English (or the abbreviation's letters)."""
    features: dict[str, float] = {}
    reasons: list[str] = []
    words = range(index, len(tokens))
    first = next((i for i in words if tokens[i].word.strip()), index)

    def repeats(index: int, others: Iterable[int]) -> bool:
        """Whether another word says the same: matches the same English word with a shared gloss (疾病…病)."""
        english, glosses = aligned[index][1], lexicon.glosses(tokens[index].word)
        # A long English word is made of parts (lipo|poly|saccharide): two Chinese words may share it.
        compound = 0 <= english < len(sides.words) and len(sides.words[english]) >= COMPOUND_LENGTH
        return english >= 0 and any(
            aligned[i][0] == "match"
            and aligned[i][1] == english
            and (not compound or glosses & lexicon.glosses(tokens[i].word))
            for i in others
            if i != index
        )

    state, english, _ = aligned[first]
    if state == "match":
        if repeats(first, words):
            features["first_repeats_english"] = 1.0
            reasons.append(f"{tokens[first].word} says again what a later word says")
        else:
            features["first_in_english"] = 1.0
            shown = f" ({sides.words[english]})" if 0 <= english < len(sides.words) else ""
            reasons.append(f"{tokens[first].word} is in the English{shown}")
    elif state == "foreign":
        features["first_not_in_english"] = 1.0
        reasons.append(f"{tokens[first].word} is not in the English")
    starts = any(aligned[i][1] == 0 for i in words)
    if aligned[first][1] == 0:
        features["first_starts_english"] = 1.0
        reasons.append(f"{tokens[first].word} gives the English's first word")
    foreign = sum(1 for i in words if i != first and aligned[i][0] == "foreign")
    if foreign:
        features["inside_not_in_english"] = float(foreign)
    covered = {aligned[i][1] for i in words if aligned[i][0] == "match"}
    for i in words:  # a word may say several English words: 超氧化物 is super|oxide
        if aligned[i][0] == "match" and has_cjk(tokens[i].word):
            covered.update(p for p, stem in enumerate(sides.stems) if lexicon.match(tokens[i].word, (stem,)) >= 0.5)
    if before >= 0 and has_cjk(tokens[before].word):
        state, english, _ = aligned[before]
        if english == 0 and not starts:
            features["before_starts_english"] = 1.0
            reasons.append(f"{tokens[before].word}, left out, gives the English's first word")
        if state == "match" and repeats(before, words):
            features["before_repeats_english"] = 1.0
        elif state == "match":
            features["before_adds_english"] = 1.0
            reasons.append(f"{tokens[before].word}, left out, is in the English")
        elif state == "foreign":
            features["before_not_in_english"] = 1.0
    if sides.stems:
        features["english_uncovered"] = 1.0 - len(covered - {-1}) / len(set(sides.stems))
    elif sides.letter_list:
        uncovered, idle = letter_alignment(tokens, index, aligned, sides.letter_list)
        features["letters_uncovered"] = uncovered
        if idle:
            features["words_without_letter"] = float(idle)
    # A first word the other side lacks is context for sure when the rest lines up well (小鼠|失血性休克复苏
    # for hemorrhagic shock resuscitation); when little lines up, the lexicon may just not know the word.
    if "first_not_in_english" in features:
        uncovered = features.get("english_uncovered", features.get("letters_uncovered", 1.0))
        features[f"first_not_in_english&rest_{'aligned' if uncovered <= 0.5 else 'unaligned'}"] = 1.0
    return features, reasons


def letter_alignment(
    tokens: tuple[Token, ...], index: int, aligned: list[Alignment], letters: tuple[str, ...]
) -> tuple[float, int]:
    """Give each word of the option one of the abbreviation's letters its translation starts with,
    head first (right to left); the share of letters left over, and how many known words got none."""
    remaining = Counter(letters)
    idle = 0
    for i in range(len(tokens) - 1, index - 1, -1):
        state, _, initials = aligned[i]
        letter = next((letter for letter in sorted(initials) if remaining[letter] > 0), None)
        if letter is not None:
            remaining[letter] -= 1
        elif state in ("match", "foreign") and has_cjk(tokens[i].word):
            idle += 1
    return sum(remaining.values()) / len(letters), idle
