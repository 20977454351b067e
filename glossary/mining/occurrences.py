"""Evidence across occurrences, documents and the glossary, added to every option's features.

One mention alone rarely settles where its term starts; the batch often does:
the option written elsewhere as a free-standing phrase, and after many
different characters (its left variety); other mentions of the same concept
sharing it; a shorter English term already owning it; the glossary or the
text stating it outright for the same English or abbreviation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .textforms import CJK, zh_key

if TYPE_CHECKING:
    from .boundary import Option

__all__ = [
    "Context",
    "agree_within_concepts",
    "concept_keys",
    "extend_for_longer_english",
    "free_occurrences",
    "known_to_glossary",
    "option_key",
    "stated_elsewhere",
]

MAX_DISTINCT_CONTEXTS = 50  # per concept: enough evidence, and no quadratic blow-up on huge files
Context = tuple[str, str, str, float]  # left, en, abbr, fit

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


def agree_within_concepts(contexts: list[Context], ranked: list[list[Option]]) -> None:
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
            shared = {common_suffix(left, other) for other in lefts if other != left}
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


def common_suffix(first: str, second: str) -> str:
    length = 0
    while length < min(len(first), len(second)) and first[-1 - length] == second[-1 - length]:
        length += 1
    return first[len(first) - length :]


def extend_for_longer_english(contexts: list[Context], ranked: list[list[Option]]) -> None:
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


def known_to_glossary(contexts: list[Context], ranked: list[list[Option]], known: Iterable[tuple[str, str]]) -> None:
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


def stated_elsewhere(
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
