"""Words of a left context: jieba's segmentation and parts of speech, read with the lexicon.

The boundary stage works on words, not characters. jieba (dictionary only, no
HMM guesses) gives them with their part of speech and dictionary frequency;
single characters it leaves apart that the lexicon knows as one word are read
as that word, and words CC-CEDICT defines as verbs are read as verbs. The
predicates here say what kind of word a token is: grammar, a verb, an
everyday word, a separator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon
from .textforms import CJK, has_cjk, to_simplified

__all__ = [
    "Token",
    "abbreviation_units",
    "chinese_length",
    "dictionary_frequency",
    "english_length_range",
    "join_complements",
    "join_known",
    "read_verbs",
    "segment",
]

# Words that never start a term and that end whatever stands before them: grammar, not vocabulary.
FUNCTION_WORDS = frozenset(
    "的 地 得 之 了 着 和 与 及 以及 或 或者 并 并且 而 而且 但 但是 且 在 于 对 对于 从 由 被 把 将 为 是 即 "
    "如 例如 比如 包括 通过 经过 使 使得 让 向 至 到 等 等等 其 该 此 这 那 这些 那些 其中 也 还 又 再 都 均 "
    "亦 仍 尚 已 已经 则 就 才 更 最 很 较 可 可以 能 能够 会 所 以 给 跟 若 因为 所以 由于 根据 基于 作为 "
    "称为 即为 如下 以下 上述 下述 各 每 某 及其 或是 以及其 诸如 除 除去 除了 随 随着 有 具有 含有 名为 叫做".split()
)
# Locatives standing alone after a noun: 血清中, 细胞内.
LOCATIVE_CHARS = frozenset("中内外上下前后间里")
BOUNDARY_TAGS = frozenset("p c u uj ul uz ug uv ud r y e o q f".split())
VERB_TAGS = frozenset("v vd vi vq".split())
ENGLISH_STOP_WORDS = frozenset("of the and for in a an to by with on at from".split())
PARTICIPLE = re.compile(r"(?:ed|ing|ates)$", re.IGNORECASE)
EVERYDAY_FREQUENCY = 10_000  # jieba counts above this are everyday words, not term parts
TECHNICAL_FREQUENCY = 100  # verbs rarer than this are technical words (脱硫, 介导), not actions
CONJUNCTIONS = ("与", "和", "及", "或")


MEASURE_WORDS = frozenset("个 种 条 项 位 只 株 次 份 例 组 名".split())  # after a number: a count, not a name
NOUN_TAGS = frozenset("n nr ns nt nz vn eng m x".split())


@dataclass(frozen=True)
class Token:
    """A word of the left context with its part of speech and dictionary frequency."""

    word: str
    tag: str
    frequency: int


def dictionary_frequency(word: str) -> int:
    """jieba's count for a word (0: not in its dictionary)."""
    return tokenizer().tokenizer.FREQ.get(word, 0)


@lru_cache(maxsize=1)
def tokenizer():
    import jieba  # lazily: loading the dictionary takes half a second
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.posseg.dt.tokenizer.check_initialized()
    return jieba.posseg.dt


@lru_cache(maxsize=50_000)
def segment(text: str) -> tuple[Token, ...]:
    """Words of a short text with part-of-speech tags (jieba, dictionary only, no HMM guesses).

    Traditional text is segmented in its simplified form, which jieba's
    dictionary knows; the words come back simplified but at the same offsets.
    """
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    posseg = tokenizer()
    frequencies = posseg.tokenizer.FREQ
    return tuple(
        Token(pair.word, pair.flag, frequencies.get(pair.word, 0)) for pair in posseg.lcut(simplified, HMM=False)
    )


def english_length_range(en: str, abbr: str = "", fit: float = 0.0) -> tuple[float, float]:
    """How many Chinese characters an English term plausibly takes: (fewest, most).

    About two per content word (one to four), one per single letter or number,
    none to one per function word. When a fitting abbreviation has more letters
    than the English has words, the extra letters are morphemes inside long
    words (POMC ← Proopiomelanocortin) and widen the range. Without English, an
    abbreviation alone asks for one to four characters a letter.
    """
    if not en:
        letters = max(abbreviation_units(abbr), 1)
        return letters * 0.75, letters * 4.0
    low = high = 0.0
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013/]+", en) if w]
    for word in words:
        if word.lower() in ENGLISH_STOP_WORDS:
            high += 1
        elif len(word) == 1 or word.isdigit() or not re.search("[A-Za-z]{2,}", word):
            low, high = low + 1, high + 1
        else:
            low, high = low + 1.5, high + (5 if len(word) >= 10 else 4)
    letters = abbreviation_units(abbr)
    if fit >= 1.0 and letters > len(words):
        extra = letters - len(words)
        low, high = low + extra * 0.5, high + extra * 3
    return low, high


def abbreviation_units(abbr: str) -> int:
    """Letters of an abbreviation that stand for words: HPA → 3, SCFAs → 4, 5-HT → 3."""
    core = abbr[:-1] if len(abbr) > 2 and abbr.endswith("s") and abbr[-2].isupper() else abbr
    marked = sum(1 for char in core if char.isupper() or char.isdigit() or "\u0370" <= char <= "\u03ff")
    # mixed case spells out syllables: Treg ← regulatory T cell, FasL ← Fas ligand
    return max(marked, math.ceil(sum(char.isascii() and char.isalpha() for char in core) / 2))


def chinese_length(tokens: Iterable[Token]) -> float:
    """Length of a Chinese option: Han characters, plus one for each Latin or number run."""
    total = 0.0
    for token in tokens:
        if token.word in FUNCTION_WORDS:
            continue
        total += len(re.findall(f"[{CJK}\u0370-\u03ff]", token.word))
        total += len(re.findall(r"[A-Za-z0-9]+", token.word))
    return total


def is_grammar(token: Token) -> bool:
    """A function word of the grammar (的, 和, 通过…): never inside the start of a term."""
    return token.word in FUNCTION_WORDS


def is_boundary_tagged(token: Token) -> bool:
    """A word jieba tags as a preposition, conjunction, particle, pronoun, locative…: usually not a term part."""
    if token.tag == "f" and token.word in LOCATIVE_CHARS:
        return True
    if len(token.word) >= 2 and token.word[-1] in "于於" and has_cjk(token.word[0]):
        return True  # a word and the preposition 于 (始于, 位于, 用于, 等于): it governs what follows
    return len(token.word) >= 2 and token.tag in BOUNDARY_TAGS and has_cjk(token.word)


def is_function(token: Token) -> bool:
    return is_grammar(token) or is_boundary_tagged(token)


def is_verb(token: Token) -> bool:
    return token.tag in VERB_TAGS and len(token.word) >= 2 and token.frequency >= TECHNICAL_FREQUENCY


def is_everyday(token: Token) -> bool:
    return (
        len(token.word) >= 2
        and token.frequency >= EVERYDAY_FREQUENCY
        and token.tag not in ("ns", "nt", "nr", "nz")
        and has_cjk(token.word)
    )


def is_separator(token: Token) -> bool:
    return not token.word.strip() or token.word in "-/\u2010\u2011\u2013·()（）"


def join_known(tokens: tuple[Token, ...], lexicon: Lexicon) -> tuple[Token, ...]:
    """Single characters jieba left apart that the lexicon knows as one word (瘦|素 → 瘦素, learned
    from the glossary or in CC-CEDICT) are read as that word."""
    joined: list[Token] = []
    index = 0
    while index < len(tokens):
        end = index + 1
        for stop in range(min(len(tokens), index + 6), index + 1, -1):
            run = tokens[index:stop]
            if all(len(t.word) == 1 and has_cjk(t.word) for t in run) and lexicon.knows("".join(t.word for t in run)):
                end = stop
                break
        if end == index + 1:
            joined.append(tokens[index])
        else:
            joined.append(Token("".join(t.word for t in tokens[index:end]), "n", 0))
        index = end
    return tuple(joined)


# Single characters that complete a verb (编制出, 裂解成, 转化为): part of the verb, never of the term after it.
COMPLEMENTS = frozenset("出 成 为 到 入 至 回 开 起")


def join_complements(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A verb and the complement jieba left apart (编制|出, 裂解|成) are read as one verb."""
    joined: list[Token] = []
    for token in tokens:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and token.word in COMPLEMENTS
            and previous.tag in VERB_TAGS
            and len(previous.word) >= 2
            and has_cjk(previous.word)
        ):
            joined[-1] = Token(previous.word + token.word, "v", max(previous.frequency, TECHNICAL_FREQUENCY))
        else:
            joined.append(token)
    return tuple(joined)


def read_verbs(token: Token, lexicon: Lexicon) -> Token:
    """jieba tags some verbs otherwise (激活/a); where CC-CEDICT's first sense is a verb, read it as one."""
    if token.tag in VERB_TAGS or token.tag in NOUN_TAGS or len(token.word) < 2 or not lexicon.is_verb(token.word):
        return token
    return Token(token.word, "v", max(token.frequency, TECHNICAL_FREQUENCY))
