"""The Chinese left boundary: where a term written before its bracket starts.

``…可以使得轻度肝性脑病(mild hepatic encephalopathy, MHE)`` — the bracket says
where the term ends, nothing says where it starts. Each word boundary of the
left context (segmented by jieba with part-of-speech, on this short window
only) is an option, scored on

* what stands before it: punctuation, a function word or a verb make a clean
  cut; cutting between two nouns does not;
* what it contains: particles, conjunctions and verbs inside a term need an
  English counterpart (``-mediated``, ``and``) to be believed;
* plausibility between the two sides: as many Chinese words as English words,
  or as an abbreviation has letters;
* evidence across occurrences and documents, added by :func:`resolve_boundaries`:
  the same option written elsewhere as a free-standing phrase, other mentions
  of the same concept choosing it, and a longer English term asking for a
  longer Chinese one than its shorter relative has.

Options are ranked; the best is the term, the rest are kept as alternatives.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .textforms import CJK, has_cjk, to_simplified, zh_key

__all__ = ["Option", "english_length_range", "resolve_boundaries", "score_options", "segment"]

# Words that never start a term and that end whatever stands before them.
FUNCTION_WORDS = frozenset(
    "的 地 得 之 了 着 和 与 及 以及 或 或者 并 并且 而 而且 但 但是 且 在 于 对 对于 从 由 被 把 将 为 是 即 "
    "如 例如 比如 包括 通过 经过 使 使得 让 向 至 到 等 等等 其 该 此 这 那 这些 那些 其中 也 还 又 再 都 均 "
    "亦 仍 尚 已 已经 则 就 才 更 最 很 较 可 可以 能 能够 会 所 以 给 跟 若 因为 所以 由于 根据 基于 作为 "
    "称为 即为 如下 以下 上述 下述 各 每 某 及其 或是 以及其 并且".split()
)
# Single characters that end a phrase before a term but also occur inside terms.
WEAK_FUNCTION_CHARS = frozenset("成")
# Locatives standing alone after a noun: 血清中, 细胞内.
LOCATIVE_CHARS = frozenset("中内外上下前后间里")
# Verbs that jieba's dictionary tags otherwise.
VERBS = frozenset("激活 产生 利用 证实 命名 定义 靶向 比较 诱导 活化 检测 检查 测量 分析 影响 调节 调控".split())
BOUNDARY_TAGS = frozenset("p c u uj ul uz ug uv ud r y e o q f".split())
VERB_TAGS = frozenset("v vd vi vq".split())
ENGLISH_STOP_WORDS = frozenset("of the and for in a an to by with on at from".split())
PARTICIPLE = re.compile(r"(?:ed|ing|ates)$", re.IGNORECASE)
EVERYDAY_FREQUENCY = 10_000  # jieba counts above this are everyday words, not term parts
TECHNICAL_FREQUENCY = 100  # verbs rarer than this are technical words (脱硫, 介导), not actions
PLAUSIBILITY_WEIGHT = 1.5
MAX_DISTINCT_CONTEXTS = 50  # per concept: enough evidence, and no quadratic blow-up on huge files
# Modifiers and category nouns that stand before many terms; when the English has no word
# for one, it is context (血浆脂多糖 for lipopolysaccharide, 还原性物质谷胱甘肽 for
# glutathione), not part of the term. English stems match inside words.
MODIFIERS = {
    "物质": "substance",
    "药物": "drug",
    "分子": "molecul",
    "化合物": "compound",
    "制剂": "preparation agent",
    "细菌": "bacteri",
    "菌株": "strain",
    "标志物": "marker",
    "指标": "index marker indicator",
    "中央": "central",
    "中枢": "central",
    "外周": "peripheral",
    "周围": "peripheral",
    "上游": "upstream",
    "下游": "downstream",
    "局部": "local",
    "全身": "systemic",
    "系统性": "systemic",
    "血浆": "plasma",
    "血清": "serum",
    "血液": "blood",
    "尿液": "urine",
    "组织": "tissue",
    "细胞内": "intracellular",
    "细胞外": "extracellular",
    "胞内": "intracellular",
    "胞外": "extracellular",
    "体内": "vivo",
    "体外": "vitro",
    "人类": "human",
    "人体": "human",
    "小鼠": "mouse murine",
    "大鼠": "rat",
    "动物": "animal",
    "患者": "patient",
    "正常": "normal",
    "健康": "healthy",
    "内源性": "endogenous",
    "外源性": "exogenous",
    "重组": "recombinant",
    "游离": "free",
    "总": "total",
    "可溶性": "soluble",
    "还原性": "reduced reducing",
    "氧化型": "oxidized",
    "活化": "activated",
    "成熟": "mature",
    "早期": "early",
    "晚期": "late",
    "急性": "acute",
    "慢性": "chronic",
    "原发性": "primary",
    "继发性": "secondary",
    "膜结合": "membrane bound",
    "膜": "membrane",
    "双侧": "bilateral",
    "单侧": "unilateral",
    "脑内": "brain",
    "肠道": "intestinal gut",
    "肝脏": "liver hepatic",
}


@dataclass
class Option:
    """One possible start of the Chinese term inside the left context."""

    start: int  # offset in the left context
    zh: str
    score: float
    reasons: list[str] = field(default_factory=list)


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
    words (POMC ← Proopiomelanocortin) and widen the range.
    """
    low = high = 0.0
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013/]+", en) if w]
    content = 0
    for word in words:
        if word.lower() in ENGLISH_STOP_WORDS:
            high += 1
        elif len(word) == 1 or word.isdigit() or not re.search("[A-Za-z]{2,}", word):
            low, high = low + 1, high + 1
        else:
            content += 1
            low, high = low + 1.5, high + (5 if len(word) >= 10 else 4)
    letters = abbreviation_units(abbr)
    if fit >= 1.0 and letters > len(words):
        extra = letters - len(words)
        low, high = low + extra * 0.5, high + extra * 3
    return low, high


def abbreviation_units(abbr: str) -> int:
    """Letters of an abbreviation that stand for words: HPA → 3, SCFAs → 4, 5-HT → 3."""
    core = abbr[:-1] if len(abbr) > 2 and abbr.endswith("s") and abbr[-2].isupper() else abbr
    return sum(1 for char in core if char.isupper() or char.isdigit() or "\u0370" <= char <= "\u03ff")


def chinese_length(tokens: tuple[Token, ...]) -> float:
    """Length of a Chinese option: Han characters, plus one for each Latin or number run."""
    total = 0.0
    for token in tokens:
        if token.word in FUNCTION_WORDS:
            continue
        total += len(re.findall(f"[{CJK}\u0370-\u03ff]", token.word))
        total += len(re.findall(r"[A-Za-z0-9]+", token.word))
    return total


def _plausibility_penalty(length: float, low: float, high: float) -> float:
    if length <= 0 or high <= 0:
        return 0.0
    if length < low:
        return math.log2(low / length)
    if length > high:
        return math.log2(length / high)
    return 0.0


def _is_function(token: Token) -> bool:
    if token.word in FUNCTION_WORDS or (token.tag == "f" and token.word in LOCATIVE_CHARS):
        return True
    return len(token.word) >= 2 and token.tag in BOUNDARY_TAGS and has_cjk(token.word)


def _is_verb(token: Token) -> bool:
    if token.word in VERBS:
        return True
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


def _modifier_in_english(word: str, en: str) -> bool | None:
    """None when ``word`` is no known modifier, else whether the English says it too."""
    if word not in MODIFIERS:
        return None
    return any(english in en.lower() for english in MODIFIERS[word].split())


def _cut_bonus(tokens: tuple[Token, ...], index: int, en: str = "") -> tuple[float, str]:
    """How clean a cut is just before ``tokens[index]``."""
    if index == 0:
        return 1.0, "starts the context"
    previous = tokens[index - 1]
    if _is_separator(previous):
        before = tokens[index - 2] if index >= 2 else None
        if previous.word.strip():  # a hyphen, slash or bracket joins what is on both sides
            return -3.0, f"inside a word joined by {previous.word}"
        if before is None:
            return 1.0, "starts the context"
        if before.tag == "m" or before.word.isdigit():
            return 0.8, f"after the number {before.word}"
        if not has_cjk(before.word):
            return -0.3, f"after {before.word} and a space"
        previous = before
    if _is_function(previous):
        return 1.0, f"after function word {previous.word}"
    if en and _modifier_in_english(previous.word, en) is False:
        return 0.5, f"after modifier {previous.word}, which the English lacks"
    if previous.word in WEAK_FUNCTION_CHARS:
        return 0.6, f"after {previous.word}"
    if _is_verb(previous):
        return 0.8, f"after verb {previous.word}"
    if not has_cjk(previous.word) and re.search("[A-Za-z]", previous.word):
        return -2.0, f"splits {previous.word}{tokens[index].word}"  # C反应蛋白, cAMP反应元件
    if (previous.tag == "m" and len(previous.word) > 1) or not has_cjk(previous.word):
        return 0.5, f"after {previous.word}/{previous.tag}"
    if previous.tag == "vn":
        return 0.3, f"after verbal noun {previous.word}"
    if len(previous.word) == 1:
        return -2.5, f"splits {previous.word}|{tokens[index].word}"
    if _is_everyday(previous):
        return 0.0, f"after everyday word {previous.word}"
    return -0.5, f"after {previous.word}/{previous.tag}"


def _inside_penalty(tokens: tuple[Token, ...], en: str) -> tuple[float, list[str]]:
    """What the option contains that a term rarely does, unless the English has it too."""
    reasons: list[str] = []
    penalty = 0.0
    english_words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013/]+", en) if w]
    participles = sum(1 for word in english_words if PARTICIPLE.search(word) and len(word) > 4)
    # 的 translates a hyphenated participle: chaperone-mediated autophagy, 伴侣介导的自噬
    hyphen_participles = len(re.findall(r"\w-\w+(?:ed|ing)\b", en))
    has_and = bool(re.search(r"\band\b|&|/", en))
    if re.search(r"\w\s+(?:and|&)\s+\w", en) and not any(t.word in ("与", "和", "及", "或") for t in tokens[1:]):
        penalty += 1.0
        reasons.append("the English 'and' has no Chinese counterpart")
    verbs = 0
    for position, token in enumerate(tokens):
        if position == 0:
            continue
        if token.word in ("与", "和", "及", "或"):
            if not has_and:
                penalty += 2.0
                reasons.append(f"contains conjunction {token.word}")
        elif token.word == "的":
            if not hyphen_participles:
                penalty += 1.5
                reasons.append("contains 的")
        elif _is_function(token):
            penalty += 3.0 if len(token.word) >= 2 or token.word in "是在了将被把" else 1.0
            reasons.append(f"contains function word {token.word}")
        elif token.word in WEAK_FUNCTION_CHARS:
            penalty += 0.5
            reasons.append(f"contains {token.word}")
        elif _is_verb(token):
            verbs += 1
    first = tokens[0]
    if _is_verb(first):
        verbs += 1
        if not (english_words and PARTICIPLE.search(english_words[0])):
            penalty += 0.5
            reasons.append(f"starts with verb {first.word}")
    if verbs > participles:
        # without English nothing can license a verb, but nothing rules one out either
        penalty += (1.0 if en else 0.5) * (verbs - participles)
        reasons.append(f"{verbs} verbs for {participles} participles")
    in_english = _modifier_in_english(first.word, en)
    if in_english is not None:
        if in_english:
            penalty -= 0.5
            reasons.append(f"modifier {first.word} is in the English")
        elif en:
            penalty += 1.5
            reasons.append(f"modifier {first.word} is not in the English")
    if first.tag == "vn":
        penalty += 0.3
        reasons.append(f"starts with verbal noun {first.word}")
    for position, token in enumerate(tokens[:-2]):
        if token.word.isdigit() and tokens[position + 1].word == " " and has_cjk(tokens[position + 2].word):
            penalty += 2.0
            reasons.append(f"contains the quantity {token.word}")
    return penalty, reasons


def _can_start(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if _is_separator(token) or (_is_function(token) and has_cjk(token.word)):
        return False
    if token.tag in ("m", "q") and has_cjk(token.word) and len(token.word) > 1:
        return False  # 一项, 两种: a count, not a term
    if token.tag == "m" and index + 1 < len(tokens) and tokens[index + 1].word == " ":
        return False  # a number before a space: 24 国际单位
    return True


def score_options(left: str, en: str = "", abbr: str = "", fit: float = 0.0) -> list[Option]:
    """Every plausible start of the Chinese term in ``left``, best first."""
    return [Option(start, zh, score, list(reasons)) for start, zh, score, reasons in _scored(left, en, abbr, fit)]


@lru_cache(maxsize=50_000)
def _scored(left: str, en: str, abbr: str, fit: float) -> tuple[tuple[int, str, float, tuple[str, ...]], ...]:
    tokens = segment(left)
    offset = 0
    starts = []
    for token in tokens:
        starts.append(offset)
        offset += len(token.word)
    if en:
        low, high = english_length_range(en, abbr, fit)
    else:  # an abbreviation alone: about one to four characters a letter
        letters = max(abbreviation_units(abbr), 1)
        low, high = letters * 0.75, letters * 4.0
    options = []
    for index in range(len(tokens)):
        zh = left[starts[index] :].strip()
        if not has_cjk(zh) or not _can_start(tokens, index):
            continue
        option_tokens = tokens[index:]
        bonus, why = _cut_bonus(tokens, index, en)
        penalty, reasons = _inside_penalty(option_tokens, en)
        length = chinese_length(option_tokens)
        implausible = _plausibility_penalty(length, low, high) * (PLAUSIBILITY_WEIGHT if en else 1.0)
        options.append(
            (
                starts[index],
                zh,
                bonus - penalty - implausible,
                (why, *reasons, f"length {length:g} in {low:g}-{high:g}"),
            )
        )
    options.sort(key=lambda option: -option[2])
    return tuple(options)


# -- evidence across occurrences and documents ------------------------------------

FREE_BEFORE = frozenset("的和与及或在是为对被把从由于将以等如了、，。；：！？（）()“”\n ")
FREE_AFTER = frozenset("的和与及或在是也中了、，。；：！？“”\n 等")


def free_occurrences(texts: list[str], phrases: set[str]) -> dict[str, int]:
    """How often each phrase stands free in the texts: between delimiters or function words."""
    counts: dict[str, int] = defaultdict(int)
    phrases = {p for p in phrases if len(p) >= 2}
    if not phrases:
        return counts
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
            if before in FREE_BEFORE and after in FREE_AFTER:
                counts[phrase] += 1
    return counts


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


def resolve_boundaries(contexts: list[tuple[str, str, str, float]], texts: list[str]) -> list[list[Option]]:
    """Rank the options of every ``(left, en, abbr, fit)`` context, with evidence from all of them.

    ``texts`` are the cleaned documents, searched for free-standing occurrences
    of each option.
    """
    ranked = [score_options(left, en, abbr, fit) for left, en, abbr, fit in contexts]
    phrases = {option.zh for options in ranked for option in options}
    counts = free_occurrences(texts, phrases)
    for options in ranked:
        for option in options:
            if counts.get(option.zh) and len(option.zh) >= 3:
                option.score += 0.8 * min(counts[option.zh], 2)
                option.reasons.append(f"free elsewhere x{counts[option.zh]}")
    _agree_within_concepts(contexts, ranked)
    _extend_for_longer_english(contexts, ranked)
    for options in ranked:
        options.sort(key=lambda option: -option.score)
    return ranked


def _agree_within_concepts(contexts: list[tuple[str, str, str, float]], ranked: list[list[Option]]) -> None:
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
                        option.score += 1.0
                        option.reasons.append("the part its contexts share")
                    elif any(key.endswith(suffix) for suffix in shared):
                        option.score -= 0.5
                        option.reasons.append("includes context another mention lacks")


def _common_suffix(first: str, second: str) -> str:
    length = 0
    while length < min(len(first), len(second)) and first[-1 - length] == second[-1 - length]:
        length += 1
    return first[len(first) - length :]


def _extend_for_longer_english(contexts: list[tuple[str, str, str]], ranked: list[list[Option]]) -> None:
    """``mild hepatic encephalopathy`` needs more Chinese than ``hepatic encephalopathy`` has."""
    by_english: dict[str, str] = {}
    for (_, en, _, _), options in zip(contexts, ranked, strict=True):
        if en and options:
            by_english.setdefault(en.lower(), option_key(options[0].zh))
    for (_, en, _, _), options in zip(contexts, ranked, strict=True):
        words = en.lower().split()
        for cut in range(1, len(words)):
            shorter = by_english.get(" ".join(words[cut:]))
            if not shorter:
                continue
            for option in options:
                if option_key(option.zh) == shorter:
                    option.score -= 2.0
                    option.reasons.append("a shorter English term already has this Chinese")
