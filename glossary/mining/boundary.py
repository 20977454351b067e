"""The Chinese left boundary: where a term written before its bracket starts.

``…可以使得轻度肝性脑病(mild hepatic encephalopathy, MHE)`` — the bracket says
where the term ends, nothing says where it starts. Each word boundary of the
left context (segmented by jieba with part-of-speech, on this short window
only) is an option. An option is described by features, and a learned linear
model ranks the options (:mod:`~glossary.mining.weights`):

* the cut: what stands before it (punctuation, a function word, a verb, a
  noun, a single character, a hyphen that joins both sides);
* what the option contains: particles, conjunctions and verbs, which a term
  has only when the English has a counterpart (``-mediated``, ``and``);
* alignment with the English through the bilingual lexicon
  (:mod:`~glossary.mining.lexicon`): a first word the English accounts for
  (外侧 for *lateral*) belongs to the term, a word the lexicon knows but the
  English lacks (消化系统 before *Crohn's disease*) is context; how much of the
  English the option covers; with an abbreviation alone, whether the word's
  translations start with one of its letters;
* plausible length for the English or the abbreviation;
* evidence across occurrences, added by :func:`resolve_boundaries`: the option
  written elsewhere as a free-standing phrase, other mentions of the same
  concept sharing it, a shorter English term already owning it, the glossary
  holding it already.

Options are ranked; the best is the term, the rest are kept as alternatives
with the reasons that placed them.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import Lexicon, default_lexicon, english_stems
from .textforms import CJK, has_cjk, to_simplified, zh_key
from .weights import boundary_weights

__all__ = [
    "Option",
    "english_length_range",
    "option_features",
    "rank_options",
    "resolve_boundaries",
    "score_options",
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
MAX_DISTINCT_CONTEXTS = 50  # per concept: enough evidence, and no quadratic blow-up on huge files
CONJUNCTIONS = ("与", "和", "及", "或")
COMPOUND_LENGTH = 10  # English words this long are usually several morphemes (hydroxytryptamine)
ABBREVIATION_ONLY = "abbr_only:"  # prefix of the features' copies for contexts without English


@dataclass
class Option:
    """One possible start of the Chinese term inside the left context."""

    start: int  # offset in the left context
    zh: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    lexicon: list[tuple[str, str]] = field(default_factory=list)  # (Chinese word, English word) matches
    recurrence: int = 0  # free-standing occurrences elsewhere

    def evidence(self) -> dict[str, object]:
        """What a curator is shown: the reasons, the lexicon matches, the recurrence count."""
        return {
            "reasons": list(self.reasons),
            "lexicon": [{"zh": zh, "en": en} for zh, en in self.lexicon],
            "recurrence": self.recurrence,
        }


@dataclass(frozen=True)
class Token:
    """A word of the left context with its part of speech and dictionary frequency."""

    word: str
    tag: str
    frequency: int


@lru_cache(maxsize=1)
def _tokenizer():
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
    tokenizer = _tokenizer()
    frequencies = tokenizer.tokenizer.FREQ
    return tuple(
        Token(pair.word, pair.flag, frequencies.get(pair.word, 0)) for pair in tokenizer.lcut(simplified, HMM=False)
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


def _is_grammar(token: Token) -> bool:
    """A function word of the grammar (的, 和, 通过…): never inside the start of a term."""
    return token.word in FUNCTION_WORDS


def _is_boundary_tagged(token: Token) -> bool:
    """A word jieba tags as a preposition, conjunction, particle, pronoun, locative…: usually not a term part."""
    if token.tag == "f" and token.word in LOCATIVE_CHARS:
        return True
    return len(token.word) >= 2 and token.tag in BOUNDARY_TAGS and has_cjk(token.word)


def _is_function(token: Token) -> bool:
    return _is_grammar(token) or _is_boundary_tagged(token)


def _is_verb(token: Token) -> bool:
    return token.tag in VERB_TAGS and len(token.word) >= 2 and token.frequency >= TECHNICAL_FREQUENCY


def _is_everyday(token: Token) -> bool:
    return (
        len(token.word) >= 2
        and token.frequency >= EVERYDAY_FREQUENCY
        and token.tag not in ("ns", "nt", "nr", "nz")
        and has_cjk(token.word)
    )


def _is_separator(token: Token) -> bool:
    return not token.word.strip() or token.word in "-/\u2010\u2011\u2013·()（）"


# -- alignment with the English ---------------------------------------------------


@dataclass(frozen=True)
class _Sides:
    """What the other side of the bracket offers: English stems, abbreviation letters."""

    stems: tuple[str, ...]
    words: tuple[str, ...]  # the English word each stem came from, for showing matches
    letters: frozenset[str]
    letter_list: tuple[str, ...]  # with repeats (MMP: m, m, p), plural s dropped
    first_letter: str  # the abbreviation's first letter: the term's first word usually gives it


def _sides(en: str, abbr: str, lexicon: Lexicon) -> _Sides:
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
    return _Sides(
        tuple(stem for stem, _ in pairs),
        tuple(word for _, word in pairs),
        frozenset(letters),
        tuple(letters),
        "".join(letters[:1]),
    )


def _aligned(lexicon: Lexicon, token: Token, sides: _Sides) -> tuple[str, int, frozenset[str]]:
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
    if _is_grammar(token):
        return "unknown", -1, none
    # A lone character the lexicon cannot place is more likely a piece of an unknown word than context.
    known = len(word) > 1 and (lexicon.knows(word) or _made_of_known_words(lexicon, word))
    if sides.stems:
        for position, stem in enumerate(sides.stems):
            if lexicon.match(word, (stem,)) >= 0.5:
                return "match", position, none
        return ("foreign" if known else "unknown"), -1, none
    glosses = lexicon.glosses(word) if known else frozenset()
    if not glosses and len(word) > 1:
        glosses = _piece_glosses(lexicon, word)
    if sides.letters and glosses:
        initials = frozenset(gloss[:1] for gloss in glosses) & sides.letters
        if not initials:
            return ("foreign" if known else "unknown"), -1, none
        return "match", (0 if sides.first_letter in initials else -1), initials
    return "unknown", -1, none


def _made_of_known_words(lexicon: Lexicon, word: str) -> bool:
    """还原性 = 还原 + 性: a word CC-CEDICT lacks but whose two halves it knows can be judged too."""
    return any(lexicon.knows(word[:cut]) and lexicon.knows(word[cut:]) for cut in range(1, len(word)))


def _piece_glosses(lexicon: Lexicon, word: str) -> frozenset[str]:
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


# -- the features of one option ---------------------------------------------------


def _cut_features(tokens: tuple[Token, ...], index: int, en: str) -> tuple[dict[str, float], str, int]:
    """What stands just before ``tokens[index]``, and the index of the word that stands there (-1: none)."""
    if index == 0:
        return {"cut_start": 1.0}, "starts the context", -1
    previous = tokens[index - 1]
    if _is_separator(previous):
        before = tokens[index - 2] if index >= 2 else None
        if previous.word.strip():  # a hyphen, slash or bracket joins what is on both sides
            return {"cut_joined": 1.0}, f"inside a word joined by {previous.word}", index - 1
        if before is None:
            return {"cut_start": 1.0}, "starts the context", -1
        if before.tag == "m" or before.word.isdigit():
            return {"cut_after_number": 1.0}, f"after the number {before.word}", index - 2
        if not has_cjk(before.word):
            return {"cut_after_latin_space": 1.0}, f"after {before.word} and a space", index - 2
        previous = before
        index -= 1
    where = index - 1
    if previous.word in CONJUNCTIONS and re.search(r"\b(?:and|or)\b|&", en):
        return {"cut_after_english_conjunction": 1.0}, f"after {previous.word}, which the English has too", where
    if _is_grammar(previous):
        return {"cut_after_function": 1.0}, f"after function word {previous.word}", where
    if _is_boundary_tagged(previous):
        return {"cut_after_boundary_tag": 1.0}, f"after {previous.word}/{previous.tag}", where
    if _is_verb(previous):
        return {"cut_after_verb": 1.0}, f"after verb {previous.word}", where
    if not has_cjk(previous.word) and re.search("[A-Za-z]", previous.word):
        return {"cut_after_latin": 1.0}, f"splits {previous.word}{tokens[index].word}", where
    if (previous.tag == "m" and len(previous.word) > 1) or not has_cjk(previous.word):
        return {"cut_after_number": 1.0}, f"after {previous.word}/{previous.tag}", where
    if previous.tag == "vn":
        return {"cut_after_verbal_noun": 1.0}, f"after verbal noun {previous.word}", where
    if len(previous.word) == 1 and previous.tag in VERB_TAGS:
        return {"cut_after_single_verb": 1.0}, f"after {previous.word}/{previous.tag}", where
    if len(previous.word) == 1:
        return {"cut_after_single": 1.0}, f"splits {previous.word}|{tokens[index].word}", where
    if _is_everyday(previous):
        return {"cut_after_everyday": 1.0}, f"after everyday word {previous.word}", where
    return {"cut_after_noun": 1.0}, f"after {previous.word}/{previous.tag}", where


def _inside_features(tokens: tuple[Token, ...], en: str) -> tuple[dict[str, float], list[str]]:
    """What the option contains that a term rarely does, unless the English has it too."""
    features: dict[str, float] = defaultdict(float)
    reasons: list[str] = []
    english_words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013/]+", en) if w]
    participles = sum(1 for word in english_words if PARTICIPLE.search(word) and len(word) > 4)
    hyphen_participles = len(re.findall(r"\w-\w+(?:ed|ing)\b", en))  # 伴侣介导的自噬: chaperone-mediated
    has_and = bool(re.search(r"\band\b|&|/", en))
    if re.search(r"\w\s+(?:and|&)\s+\w", en) and not any(t.word in CONJUNCTIONS for t in tokens[1:]):
        features["english_and_unmatched"] = 1.0
        reasons.append("the English 'and' has no Chinese counterpart")
    verbs = 0
    for position, token in enumerate(tokens):
        if position == 0:
            continue
        if token.word in CONJUNCTIONS:
            if not has_and:
                features["inside_conjunction"] += 1
                reasons.append(f"contains conjunction {token.word}")
        elif token.word == "的":
            if not hyphen_participles:
                features["inside_de"] += 1
                reasons.append("contains 的")
        elif _is_function(token):
            strong = len(token.word) >= 2 or token.word in "是在了将被把"
            features["inside_function_strong" if strong else "inside_function_weak"] += 1
            reasons.append(f"contains function word {token.word}")
        elif _is_verb(token):
            verbs += 1
    first = tokens[0]
    if _is_verb(first):
        verbs += 1
        if not (english_words and PARTICIPLE.search(english_words[0])):
            features["starts_with_verb"] = 1.0
            reasons.append(f"starts with verb {first.word}")
    if verbs > participles:
        features["verbs_without_participle"] = float(verbs - participles)
        reasons.append(f"{verbs} verbs for {participles} participles")
    if first.tag == "vn":
        features["starts_with_verbal_noun"] = 1.0
    if _is_boundary_tagged(first):
        features["starts_with_boundary_tag"] = 1.0
    if _is_everyday(first):
        features["starts_with_everyday"] = 1.0
    if len(first.word) == 1 and has_cjk(first.word):
        features["starts_with_single"] = 1.0
    if len(first.word) == 1 and first.tag in VERB_TAGS:
        features["starts_with_single_verb"] = 1.0
    for position, token in enumerate(tokens[:-1]):
        after = tokens[position + 1]
        spaced = after.word == " " and position + 2 < len(tokens) and has_cjk(tokens[position + 2].word)
        if (token.word.isdigit() or token.tag == "m") and (spaced or after.tag == "q" or after.word in MEASURE_WORDS):
            features["inside_quantity"] += 1
            reasons.append(f"contains the quantity {token.word}")
    return dict(features), reasons


def _can_start(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if _is_separator(token) or _is_grammar(token):
        return False
    if token.tag in ("m", "q") and has_cjk(token.word) and len(token.word) > 1:
        return False  # 一项, 两种: a count, not a term
    if token.tag == "m" and index + 1 < len(tokens) and tokens[index + 1].word == " ":
        return False  # a number before a space: 24 国际单位
    return True


MEASURE_WORDS = frozenset("个 种 条 项 位 只 株 次 份 例 组 名".split())  # after a number: a count, not a name
NOUN_TAGS = frozenset("n nr ns nt nz vn eng m x".split())


def _join_known(tokens: tuple[Token, ...], lexicon: Lexicon) -> tuple[Token, ...]:
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


def _lexicon_verb(token: Token, lexicon: Lexicon) -> Token:
    """jieba tags some verbs otherwise (激活/a); where CC-CEDICT's first sense is a verb, read it as one."""
    if token.tag in VERB_TAGS or token.tag in NOUN_TAGS or len(token.word) < 2 or not lexicon.is_verb(token.word):
        return token
    return Token(token.word, "v", max(token.frequency, TECHNICAL_FREQUENCY))


def option_features(
    left: str, en: str = "", abbr: str = "", fit: float = 0.0, lexicon: Lexicon | None = None
) -> list[Option]:
    """Every plausible start of the Chinese term in ``left`` with its features, unscored."""
    return [
        Option(start, zh, 0.0, list(reasons), dict(features), list(matches))
        for start, zh, features, reasons, matches in _featured(left, en, abbr, fit, lexicon or default_lexicon())
    ]


def _alignment_features(
    tokens: tuple[Token, ...],
    index: int,
    before: int,
    aligned: list[tuple[str, int, frozenset[str]]],
    sides: _Sides,
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
        uncovered, idle = _letter_alignment(tokens, index, aligned, sides.letter_list)
        features["letters_uncovered"] = uncovered
        if idle:
            features["words_without_letter"] = float(idle)
    return features, reasons


def _letter_alignment(
    tokens: tuple[Token, ...], index: int, aligned: list[tuple[str, int, frozenset[str]]], letters: tuple[str, ...]
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


@lru_cache(maxsize=50_000)
def _featured(left: str, en: str, abbr: str, fit: float, lexicon: Lexicon):
    tokens = tuple(_lexicon_verb(token, lexicon) for token in _join_known(segment(left), lexicon))
    offsets = []
    offset = 0
    for token in tokens:
        offsets.append(offset)
        offset += len(token.word)
    sides = _sides(en, abbr, lexicon)
    aligned = [_aligned(lexicon, token, sides) for token in tokens]
    low, high = english_length_range(en, abbr, fit)
    results = []
    for index in range(len(tokens)):
        zh = left[offsets[index] :].strip()
        if not has_cjk(zh) or not _can_start(tokens, index):
            continue
        option_tokens = tokens[index:]
        features, why, before = _cut_features(tokens, index, en)
        inside, reasons = _inside_features(option_tokens, en)
        features.update(inside)
        alignment, aligned_reasons = _alignment_features(tokens, index, before, aligned, sides, lexicon)
        # What the cut is worth depends on what the other side says of the word left out: a cut
        # between two nouns is bad inside a name, good after a noun the English lacks (血清|降钙素原).
        cut = next(iter(features))
        if before >= 0 and (sides.stems or sides.letters):
            features[f"{cut}&before_{aligned[before][0]}"] = 1.0
        features.update(alignment)
        reasons.extend(aligned_reasons)
        matches = tuple(
            (tokens[i].word, sides.words[aligned[i][1]] if 0 <= aligned[i][1] < len(sides.words) else abbr)
            for i in range(index, len(tokens))
            if aligned[i][0] == "match" and has_cjk(tokens[i].word)
        )
        length = chinese_length(option_tokens)
        if length > 0 and high > 0:
            if length < low:
                features["too_short"] = math.log2(low / length)
            elif length > high:
                features["too_long"] = math.log2(length / high)
        if not en:
            # With an abbreviation alone the evidence is weaker: each feature also gets a weight of its own
            # for that case (shared weight + specific correction, fitted together).
            features.update({f"{ABBREVIATION_ONLY}{name}": value for name, value in list(features.items())})
        simplified = to_simplified(zh)
        if len(simplified) >= 2 and has_cjk(simplified):
            if lexicon.knows(simplified):
                features["option_in_lexicon"] = 1.0
                reasons.append("CC-CEDICT has it as a word")
            if _tokenizer().tokenizer.FREQ.get(simplified, 0) > 0:
                features["option_in_jieba"] = 1.0
        features["without_english" if not en else "with_english"] = 1.0
        results.append(
            (offsets[index], zh, features, (why, *reasons, f"length {length:g} in {low:g}-{high:g}"), matches)
        )
    return tuple(results)


def rank_options(options: list[Option], weights: dict[str, float] | None = None) -> list[Option]:
    """Score each option by the learned weights and sort, best first."""
    weights = boundary_weights() if weights is None else weights
    for option in options:
        option.score = sum(weights.get(name, 0.0) * value for name, value in option.features.items())
    options.sort(key=lambda option: -option.score)
    return options


def score_options(left: str, en: str = "", abbr: str = "", fit: float = 0.0) -> list[Option]:
    """Every plausible start of the Chinese term in ``left``, best first (no cross-occurrence evidence)."""
    return rank_options(option_features(left, en, abbr, fit))


# -- evidence across occurrences and documents ------------------------------------

FREE_BEFORE = frozenset("的和与及或在是为对被把从由于将以等如了、，。；：！？（）()“”\n ")
FREE_AFTER = frozenset("的和与及或在是也中了、，。；：！？“”\n 等")


def free_occurrences(texts: list[str], phrases: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each phrase stands free in the texts (between delimiters or function words), and
    how many different characters stand before it (its left variety: a real word starts after many)."""
    counts: dict[str, int] = defaultdict(int)
    variety: dict[str, set[str]] = defaultdict(set)
    phrases = {p for p in phrases if len(p) >= 2}
    if not phrases:
        return counts, {}
    import ahocorasick  # one pass over all texts for all phrases

    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    for text in texts:
        for end, phrase in automaton.iter(text):
            start = end - len(phrase) + 1
            before = text[start - 1] if start > 0 else "\n"
            after = text[end + 1] if end + 1 < len(text) else "\n"
            variety[phrase].add(before if before not in FREE_BEFORE else "")
            if before in FREE_BEFORE and after in FREE_AFTER:
                counts[phrase] += 1
    return counts, {phrase: len(chars) for phrase, chars in variety.items()}


def concept_keys(en: str, abbr: str) -> list[str]:
    """Keys under which mentions of one concept meet: its English and its abbreviation."""
    keys = []
    if en:
        keys.append("en:" + re.sub(r"[^a-z0-9\u0370-\u03ff]+", "", en.lower()))
    if abbr:
        keys.append("abbr:" + (abbr[:-1] if abbr.endswith("s") and len(abbr) > 2 else abbr))
    return keys


def option_key(zh: str) -> str:
    """Options from different mentions (and scripts) compare by this key."""
    return zh_key(zh)


Context = tuple[str, str, str, float]  # left, en, abbr, fit


def collect_options(
    contexts: list[Context],
    texts: list[str],
    lexicon: Lexicon | None = None,
    known: Iterable[tuple[str, str]] = (),
    stated: Iterable[tuple[str, str, str]] = (),
) -> list[list[Option]]:
    """The options of every ``(left, en, abbr, fit)`` context with all their features, unscored.

    ``texts`` are the cleaned documents, searched for free-standing occurrences
    of each option; ``known`` are (zh, en) pairs the glossary already holds;
    ``stated`` are (zh, en, abbr) that the batch states with a known Chinese
    side (keyword lists, figure legends, 又称, Chinese after English).
    """
    lexicon = lexicon or default_lexicon()
    featured = [option_features(left, en, abbr, fit, lexicon) for left, en, abbr, fit in contexts]
    phrases = {option.zh for options in featured for option in options}
    counts, variety = free_occurrences(texts, phrases)
    for options in featured:
        for option in options:
            if variety.get(option.zh, 0) > 1:
                option.features["left_variety"] = math.log2(variety[option.zh])
            count = counts.get(option.zh, 0)
            option.recurrence = count
            if count and len(option.zh) >= 3:
                option.features["free_elsewhere"] = float(min(count, 3))
                option.reasons.append(f"free elsewhere x{count}")
    _agree_within_concepts(contexts, featured)
    _extend_for_longer_english(contexts, featured)
    _known_to_glossary(contexts, featured, known)
    _stated_elsewhere(contexts, featured, stated)
    return featured


def resolve_boundaries(
    contexts: list[Context],
    texts: list[str],
    lexicon: Lexicon | None = None,
    known: Iterable[tuple[str, str]] = (),
    weights: dict[str, float] | None = None,
    stated: Iterable[tuple[str, str, str]] = (),
) -> list[list[Option]]:
    """Rank the options of every context, with evidence from all of them; best first."""
    return [rank_options(options, weights) for options in collect_options(contexts, texts, lexicon, known, stated)]


def _agree_within_concepts(contexts: list[Context], ranked: list[list[Option]]) -> None:
    """Mentions of one concept with different left contexts reveal the shared term.

    ``应激可激活下丘脑-垂体-性腺`` and ``系统如下丘脑-垂体-性腺`` both end in the term;
    what they share is the term, what only one has is context.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (_, en, abbr, _) in enumerate(contexts):
        for key in concept_keys(en, abbr):
            groups[key].append(index)
    for members in groups.values():
        by_left: dict[str, list[int]] = defaultdict(list)
        for index in members:
            by_left[option_key(contexts[index][0])].append(index)
        lefts = list(by_left)[:MAX_DISTINCT_CONTEXTS]
        for left in lefts:
            shared = {_common_suffix(left, other) for other in lefts if other != left}
            shared = {suffix for suffix in shared if len(re.findall(f"[{CJK}]", suffix)) >= 2}
            if not shared:
                continue
            for index in by_left[left]:
                for option in ranked[index]:
                    key = option_key(option.zh)
                    if key in shared:
                        option.features["shared_by_mentions"] = 1.0
                        option.reasons.append("the part its contexts share")
                    elif any(key.endswith(suffix) for suffix in shared):
                        option.features["context_another_mention_lacks"] = 1.0
                        option.reasons.append("includes context another mention lacks")


def _common_suffix(first: str, second: str) -> str:
    length = 0
    while length < min(len(first), len(second)) and first[-1 - length] == second[-1 - length]:
        length += 1
    return first[len(first) - length :]


def _extend_for_longer_english(contexts: list[Context], ranked: list[list[Option]]) -> None:
    """``mild hepatic encephalopathy`` needs more Chinese than ``hepatic encephalopathy`` has."""
    by_english: dict[str, set[str]] = defaultdict(set)
    for (_, en, _, _), options in zip(contexts, ranked, strict=True):
        if en:
            by_english[en.lower()].update(option_key(option.zh) for option in options)
    for (_, en, _, _), options in zip(contexts, ranked, strict=True):
        words = en.lower().split()
        for cut in range(1, len(words)):
            shorter = by_english.get(" ".join(words[cut:]))
            if not shorter:
                continue
            for option in options:
                if option_key(option.zh) in shorter:
                    option.features["shorter_english_has_it"] = 1.0
                    option.reasons.append("a shorter English term may have this Chinese")


def _known_to_glossary(contexts: list[Context], ranked: list[list[Option]], known: Iterable[tuple[str, str]]) -> None:
    """An option the glossary already pairs with this English (or holds at all) is likely the term."""
    pairs: set[tuple[str, str]] = set()
    terms: set[str] = set()
    for zh, en in known:
        terms.add(option_key(zh))
        if en:
            pairs.add((option_key(zh), en.lower()))
    if not terms:
        return
    for (_, en, _, _), options in zip(contexts, ranked, strict=True):
        for option in options:
            key = option_key(option.zh)
            if (key, en.lower()) in pairs:
                option.features["glossary_pair"] = 1.0
                option.reasons.append("the glossary pairs it with this English")
            elif key in terms:
                option.features["glossary_term"] = 1.0
                option.reasons.append("the glossary holds this term")


def _stated_elsewhere(
    contexts: list[Context], ranked: list[list[Option]], stated: Iterable[tuple[str, str, str]]
) -> None:
    """An option that the batch states outright for the same English or abbreviation (a legend's
    ``TPH：色氨酸羟化酶``, a keyword pair) is likely the term."""
    by_concept: dict[str, set[str]] = defaultdict(set)
    for zh, en, abbr in stated:
        for key in concept_keys(en, abbr):
            by_concept[key].add(option_key(zh))
    if not by_concept:
        return
    for (_, en, abbr, _), options in zip(contexts, ranked, strict=True):
        names = set().union(*(by_concept.get(key, set()) for key in concept_keys(en, abbr)))
        for option in options:
            if option_key(option.zh) in names:
                option.features["stated_elsewhere"] = 1.0
                option.reasons.append("the text states this Chinese for it elsewhere")
