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
with the reasons that placed them. The words come from :mod:`.words`, their
alignment from :mod:`.alignment`, the evidence across occurrences from
:mod:`.occurrences`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .alignment import align_word, alignment_features, other_side
from .lexicon import Lexicon, default_lexicon
from .occurrences import (
    Context,
    agree_within_concepts,
    extend_for_longer_english,
    free_occurrences,
    known_to_glossary,
    stated_elsewhere,
)
from .textforms import has_cjk, to_simplified
from .weights import boundary_weights
from .words import (
    CONJUNCTIONS,
    MEASURE_WORDS,
    PARTICIPLE,
    VERB_TAGS,
    Token,
    chinese_length,
    dictionary_frequency,
    english_length_range,
    is_boundary_tagged,
    is_everyday,
    is_function,
    is_grammar,
    is_separator,
    is_verb,
    join_complements,
    join_known,
    read_verbs,
    segment,
)

__all__ = [
    "Option",
    "collect_options",
    "english_length_range",
    "option_features",
    "rank_options",
    "resolve_boundaries",
    "score_options",
    "segment",
]

NEGATIONS = ("不", "没", "沒")  # before a verb: 不含
NEGATED_VERBS = ("没有", "沒有", "无法", "無法")
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


def _cut_features(tokens: tuple[Token, ...], index: int, en: str) -> tuple[dict[str, float], str, int]:
    """What stands just before ``tokens[index]``, and the index of the word that stands there (-1: none)."""
    if index == 0:
        return {"cut_start": 1.0}, "starts the context", -1
    previous = tokens[index - 1]
    if is_separator(previous):
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
    if is_grammar(previous):
        return {"cut_after_function": 1.0}, f"after function word {previous.word}", where
    if is_boundary_tagged(previous):
        return {"cut_after_boundary_tag": 1.0}, f"after {previous.word}/{previous.tag}", where
    if is_verb(previous):
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
    if is_everyday(previous):
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
        elif is_function(token):
            strong = len(token.word) >= 2 or token.word in "是在了将被把"
            features["inside_function_strong" if strong else "inside_function_weak"] += 1
            reasons.append(f"contains function word {token.word}")
        elif is_verb(token):
            verbs += 1
    first = tokens[0]
    if is_verb(first):
        verbs += 1
        if not (english_words and PARTICIPLE.search(english_words[0])):
            features["starts_with_verb"] = 1.0
            reasons.append(f"starts with verb {first.word}")
    if verbs > participles:
        features["verbs_without_participle"] = float(verbs - participles)
        reasons.append(f"{verbs} verbs for {participles} participles")
    if first.tag == "vn":
        features["starts_with_verbal_noun"] = 1.0
    if is_boundary_tagged(first):
        features["starts_with_boundary_tag"] = 1.0
    if is_everyday(first):
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
    if is_separator(token) or is_grammar(token):
        return False
    if token.tag == "k" or (index > 0 and tokens[index - 1].tag == "h"):
        return False  # a bound suffix starts no term (氧化|型谷胱甘肽), a bound prefix ends none (非|翻译区)
    if token.tag in ("m", "q") and has_cjk(token.word) and len(token.word) > 1:
        return False  # 一项, 两种: a count, not a term
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if (token.tag == "m" or token.word.isdigit()) and following is not None:
        if following.word == " ":
            return False  # a number before a space: 24 国际单位
        if following.tag == "q" or following.word in MEASURE_WORDS:
            return False  # a number and its measure word: 1条, 3种
    return True


def option_features(
    left: str, en: str = "", abbr: str = "", fit: float = 0.0, lexicon: Lexicon | None = None
) -> list[Option]:
    """Every plausible start of the Chinese term in ``left`` with its features, unscored."""
    return [
        Option(start, zh, 0.0, list(reasons), dict(features), list(matches))
        for start, zh, features, reasons, matches in _featured(left, en, abbr, fit, lexicon or default_lexicon())
    ]


@lru_cache(maxsize=50_000)
def _featured(left: str, en: str, abbr: str, fit: float, lexicon: Lexicon):
    tokens = join_complements(tuple(read_verbs(token, lexicon) for token in join_known(segment(left), lexicon)))
    offsets = []
    offset = 0
    for token in tokens:
        offsets.append(offset)
        offset += len(token.word)
    sides = other_side(en, abbr, lexicon)
    aligned = [align_word(lexicon, token, sides) for token in tokens]
    low, high = english_length_range(en, abbr, fit)
    # 不含, 没有: a negated verb is the predicate before the term; the term starts after it
    negated = [i + 1 for i in range(len(tokens) - 1) if tokens[i].word in NEGATIONS and tokens[i + 1].tag in VERB_TAGS]
    negated += [i for i, token in enumerate(tokens) if token.word in NEGATED_VERBS]
    first_start = max(negated, default=-1) + 1
    results = []
    for index in range(first_start, len(tokens)):
        zh = left[offsets[index] :].strip()
        if not has_cjk(zh) or not _can_start(tokens, index):
            continue
        option_tokens = tokens[index:]
        features, why, before = _cut_features(tokens, index, en)
        inside, reasons = _inside_features(option_tokens, en)
        features.update(inside)
        alignment, aligned_reasons = alignment_features(tokens, index, before, aligned, sides, lexicon)
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
            if dictionary_frequency(simplified) > 0:
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
    agree_within_concepts(contexts, featured)
    extend_for_longer_english(contexts, featured)
    known_to_glossary(contexts, featured, known)
    stated_elsewhere(contexts, featured, stated)
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
