"""Extraction: where a cleaned text defines a term, and in which order the parts stand.

Every bracket, full- or half-width, with or without a space before it, is read
as one of the forms authors use:

* ``中文（English）``, ``中文（English，ABBR）``, ``中文（ABBR，English）``, ``中文（ABBR）``
* ``中文 ABBR（English）``: the abbreviation between the name and its expansion
  (``儿童睡眠问卷量表 CSHQ(Children Sleep Habits Questionnaire)``)
* ``English（中文）``, ``English (ABBR, 中文)``, ``English (ABBR)``, ``ABBR（中文）``,
  also inside Chinese prose (``透過 stomata (氣孔) 交換``)
* lists such as ``埃希氏菌/志贺氏菌(Escherichia/Shigella)``, coordinated names
  ``藥物吸收與代謝 (Drug Absorption and Metabolism)``, abbreviations with a
  Chinese head (``自然杀伤T细胞（natural killer T cell，NKT细胞）``)

Brackets that hold no definition are left to :mod:`~glossary.mining.nondefinitions`.
Pairs stated without brackets come from keyword lines
(:mod:`~glossary.mining.keywords`), abbreviation legends
(:mod:`~glossary.mining.legends`) and ``又称`` phrases
(:mod:`~glossary.mining.synonyms`). Where the Chinese term starts is decided
later, by :mod:`~glossary.mining.boundary`; here the whole left context is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .abbreviations import (
    abbreviation_fits,
    find_full_form,
    looks_like_abbreviation,
    repair_abbreviation,
    shares_initial,
    split_chinese_head,
)
from .chinese import NOT_A_TERM_START, chinese_name_before, left_run, plausible_chinese_term
from .cleanup import CleanText
from .english import (
    english_and_abbreviation,
    english_before,
    is_code_name,
    is_english,
    short_name_is_abbreviation,
)
from .keywords import keyword_lists, pair_keywords
from .legends import legend_entries
from .nondefinitions import is_label, is_not_a_definition
from .synonyms import chinese_aliases_after, english_aliases, split_at_alias
from .textforms import CJK, GREEK, has_cjk

__all__ = ["Mention", "find_mentions"]

BRACKET = re.compile(r"[(（]\s*([^()（）\n]{1,200}?)\s*[)）]")
PART_SEPARATOR = re.compile(r"\s*(?:[，；;]|,(?!\d))\s*")
LATIN_TAIL = re.compile(f"[^{CJK}]*$")  # what follows the last Chinese character
CONTINUATION = re.compile(f"^(?:[-\u2010\u2011\u2013]?\\d{{1,2}}[A-Za-z]?(?![\\d.])|[{CJK}]{{1,2}})")
COORDINATION = re.compile("[与和及與]")
COORDINATED_ENGLISH = re.compile(r"(.+?)\s+(?:and|&)\s+(.+)")
ELEMENT_SYMBOL = re.compile(r"[A-Z][a-z]?")
PREPOSITION = re.compile(r"\b(?:of|for|with|to|in|on|by|from)\b", re.IGNORECASE)


@dataclass
class Mention:
    """One place in one document that defines (part of) a term.

    For ``zh_first`` mentions the Chinese term is some ending of ``left``, chosen
    by the boundary stage; for the other kinds (``en_first``, ``keywords``,
    ``legend``, ``alias``, ``coordinated``) ``zh`` is known already.
    """

    doc: int
    kind: str  # zh_first, en_first, keywords, legend, alias, coordinated
    start: int  # cleaned-text span of the whole mention
    end: int
    en: str = ""
    abbr: str = ""
    abbr_fit: float = 0.0
    zh: str = ""
    left: str = ""
    after: str = ""


def find_mentions(doc: int, clean: CleanText) -> list[Mention]:
    """All bracket, keyword-line, legend and ``又称`` definitions in one cleaned document."""
    text = clean.text
    mentions = [m for match in BRACKET.finditer(text) for m in _bracket_mentions(doc, text, match)]
    mentions.extend(_keyword_mentions(doc, text))
    mentions.extend(_legend_mentions(doc, text))
    mentions.extend(_english_alias_mentions(doc, text))
    return mentions


def _split_parts(content: str) -> list[str]:
    """The bracket's parts; a separator inside an English full form does not cut it.

    ``1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine，MPTP`` and
    ``N,N-dimethylformamide, DMF`` are two parts: when a split gives more than
    two, the abbreviation at either end takes the rest as its full form if it fits.
    """
    separators = list(PART_SEPARATOR.finditer(content))
    parts = [part.strip(" .") for part in PART_SEPARATOR.split(content) if part.strip(" .")]
    if len(parts) <= 2 or not separators:
        return parts
    last, first = separators[-1], separators[0]
    head, tail = content[: last.start()].strip(" ."), content[last.end() :].strip(" .")
    if looks_like_abbreviation(tail) and is_english(head) and abbreviation_fits(tail, head) >= 1.0:
        return [head, tail]
    head, tail = content[: first.start()].strip(" ."), content[first.end() :].strip(" .")
    if looks_like_abbreviation(head) and is_english(tail) and abbreviation_fits(head, tail) >= 1.0:
        return [head, tail]
    return parts


def _bracket_mentions(doc: int, text: str, match: re.Match[str]) -> list[Mention]:
    """The mentions one bracket makes: which order its parts and its left context stand in."""
    content = match.group(1).strip()
    if not content or is_not_a_definition(content):
        return []
    parts = _split_parts(content)
    if not 1 <= len(parts) <= 2:
        return []
    left_start, left = left_run(text, match.start())
    if not left:
        return []
    after = text[match.end() : match.end() + 4]
    tail = _latin_tail(left).strip()
    mentions: list[Mention] = []
    # ABBR（…）: an abbreviation right before the bracket is what the bracket expands
    if len(parts) == 1 and tail and " " not in tail and looks_like_abbreviation(tail):
        mention = _abbreviation_first(doc, text, match, parts[0], tail)
        mentions = [mention] if mention else []
    if not mentions:
        # English（中文） inside Chinese prose: the left context holds Han characters, but
        # the words right before a Chinese gloss are English (植物透過 stomata (氣孔))
        chinese_inside = any(has_cjk(part) and not split_chinese_head(part) for part in parts)
        english_tail = bool(re.search("[A-Za-z]{2,}", tail))
        if has_cjk(left) and not (chinese_inside and english_tail) and len(tail.split()) <= 1 and len(tail) <= 8:
            mentions = _chinese_first(doc, text, match, parts, (left_start, left), after)
        else:
            mention = _english_first(doc, match, parts, (left_start, left))
            mentions = [mention] if mention else []
    if mentions and (mentions[0].en or mentions[0].abbr):
        mentions.extend(_aliases_after(doc, text, match.end(), mentions[0]))
    return mentions


def _abbreviation_first(doc: int, text: str, match: re.Match[str], part: str, abbr: str) -> Mention | None:
    """``IL-6（interleukin-6）``, ``IL-6（白细胞介素-6）`` and ``儿童睡眠问卷量表 CSHQ(Children…)``.

    The abbreviation stands before its expansion; when a Chinese name stands
    before the abbreviation, the three make one pair.
    """
    start = match.start()
    while start > 0 and text[start - 1].isspace():
        start -= 1
    start -= len(abbr)
    if has_cjk(part):
        if not re.fullmatch(f"[{CJK}{GREEK}A-Za-z0-9\\-]{{2,15}}", part) or NOT_A_TERM_START.match(part):
            return None
        return Mention(doc=doc, kind="en_first", start=start, end=match.end(), abbr=abbr, zh=part)
    fit = abbreviation_fits(abbr, part)
    if not is_english(part) or looks_like_abbreviation(part) or fit < 1.0:
        return None
    name = chinese_name_before(text, start, part)
    if name is not None:
        left_start, left = name
        return Mention(
            doc=doc, kind="zh_first", start=left_start, end=match.end(), en=part, abbr=abbr, abbr_fit=fit, left=left
        )
    return Mention(doc=doc, kind="en_first", start=start, end=match.end(), en=part, abbr=abbr, abbr_fit=fit)


def _chinese_first(
    doc: int, text: str, match: re.Match[str], parts: list[str], context: tuple[int, str], after: str
) -> list[Mention]:
    """``中文（English，ABBR）`` and its variants: the bracket's parts define a term ending before it."""
    left_start, left = context
    headed = _chinese_headed_abbreviation(parts, left)
    if headed is not None:
        en, abbr, fit = headed
    elif any(has_cjk(part) for part in parts):
        return []  # a Chinese remark in brackets, not a translation
    else:
        en, abbr = english_and_abbreviation(parts)
        if not en and not abbr:
            return []
        if en and not abbr and short_name_is_abbreviation(en, left):
            en, abbr = "", en
        fit = abbreviation_fits(abbr, en) if en and abbr else 0.0
        if en and abbr and not fit and not shares_initial(abbr, en):
            return []
        if abbr:
            repaired = repair_abbreviation(abbr)
            if repaired != abbr and en and abbreviation_fits(repaired, en) >= fit:
                abbr = repaired
        if abbr and not en and is_label(abbr, left):
            return []
        if en and not abbr and is_code_name(en):
            return []
        if abbr and not en and ELEMENT_SYMBOL.fullmatch(abbr) and re.search(f"\\d[{CJK}]$", left):
            # 3锶（Sr）: a symbol of one or two letters names a one-character element; the
            # number before it counts or numbers, it is no part of the name.
            left_start, left = left_start + len(left) - 1, left[-1]
    coordinated = _coordinated(doc, match, en, abbr, (left_start, left))
    if coordinated:
        return coordinated
    continuation = CONTINUATION.match(after)
    head = continuation.group(0) if continuation else ""
    if len(head) == 2 and head[1] in "的地和与及或在是中等了也":
        head = head[0]
    mention = Mention(
        doc=doc,
        kind="zh_first",
        start=left_start,
        end=match.end(),
        en=en,
        abbr=abbr,
        abbr_fit=fit,
        left=left,
        after=head,
    )
    named = split_at_alias(left)
    if named is None:
        return [mention]
    # 对乙酰氨基酚又称扑热息痛（paracetamol）: the bracket defines the name after 又称, and the
    # term before 又称 is the same concept.
    before, name = named
    mention.left, mention.start = name, left_start + len(left) - len(name)
    other = Mention(doc=doc, kind="zh_first", start=left_start, end=match.end(), en=en, abbr=abbr, abbr_fit=fit)
    other.left = before
    return [mention, other]


def _chinese_headed_abbreviation(parts: list[str], left: str) -> tuple[str, str, float] | None:
    """``自然杀伤T细胞（natural killer T cell，NKT细胞）``: an abbreviation ending in the Chinese head of its term.

    The abbreviation is kept as written; its Latin letters must fit the English.
    Alone in its bracket (``滤泡辅助T细胞（Tfh细胞）``) it needs two letters, one a
    capital, so that a label such as ``实验组（A组）`` is not read as one.
    """
    if len(parts) == 1:
        split = split_chinese_head(parts[0])
        if split and left.endswith(split[1]) and len(split[0]) >= 2 and re.search("[A-Z]", split[0]):
            return "", parts[0], 0.0
        return None
    for short, full in (parts[::-1], parts):
        split = split_chinese_head(short)
        if split and is_english(full) and left.endswith(split[1]):
            fit = abbreviation_fits(split[0], full)
            if fit:
                return full, short, fit
    return None


def _coordinated(doc: int, match: re.Match[str], en: str, abbr: str, context: tuple[int, str]) -> list[Mention]:
    """``藥物吸收與代謝 (Drug Absorption and Metabolism)``: two terms, one pair each.

    Only short conjuncts without prepositions split, and only when the Chinese is
    joined the same way: ``signal transducer and activator of transcription`` is one
    term, and an abbreviation shows the whole is one name.
    """
    halves = COORDINATED_ENGLISH.fullmatch(en) if en and not abbr else None
    if not halves or re.search(r"\s(?:and|&)\s", halves.group(2)):
        return []
    first, second = halves.groups()
    if any(len(half.split()) > 4 or PREPOSITION.search(half) or "," in half for half in (first, second)):
        return []  # a list of three (A, B and C) or a name with "of" is not two names
    left_start, left = context
    joints = list(COORDINATION.finditer(left))
    if not joints:
        return []
    joint = joints[-1]
    second_zh, first_left = left[joint.end() :], left[: joint.start()]
    words = len(second.split())
    if not re.fullmatch(f"[{CJK}]{{2,12}}", second_zh) or not words <= len(second_zh) <= 5 * words:
        return []
    if not first_left or not re.match(f"[{CJK}]", first_left[-1]):
        return []
    return [
        Mention(doc=doc, kind="zh_first", start=left_start, end=match.end(), en=first, left=first_left),
        Mention(doc=doc, kind="coordinated", start=left_start + joint.end(), end=match.end(), en=second, zh=second_zh),
    ]


def _latin_tail(text: str) -> str:
    """What follows the last Chinese character of ``text`` (all of it when there is none)."""
    found = LATIN_TAIL.search(text)
    return found.group(0) if found else ""


def _english_first(doc: int, match: re.Match[str], parts: list[str], context: tuple[int, str]) -> Mention | None:
    """``English（中文）``, ``English (ABBR, 中文)``, ``English (ABBR)``: the English stands before the bracket."""
    left_start, left = context
    english = _latin_tail(left).strip(" -/")
    if not re.search(r"[A-Za-z]{2,}", english):
        return None
    chinese = [part for part in parts if has_cjk(part)]
    others = [part for part in parts if not has_cjk(part)]
    if len(chinese) > 1 or not plausible_chinese_term(chinese[0] if chinese else ""):
        return None
    zh = chinese[0] if chinese else ""
    abbr = others[0] if others and looks_like_abbreviation(others[0]) else ""
    if others and not abbr:
        return None
    if abbr:
        en = find_full_form(abbr, english)
        if not en:
            return None
        fit = abbreviation_fits(abbr, en)
    elif zh:
        en, fit = english_before(english, zh), 0.0
        if is_code_name(en):
            return None
    else:
        return None
    if not en:
        return None
    start = left_start + left.rfind(en) if en in left else match.start()
    return Mention(doc=doc, kind="en_first", start=start, end=match.end(), en=en, abbr=abbr, abbr_fit=fit, zh=zh)


def _aliases_after(doc: int, text: str, end: int, defined: Mention) -> list[Mention]:
    """``维生素B1（thiamine）也称硫胺素``: the second name pairs with the same English."""
    return [
        Mention(doc=doc, kind="alias", start=start, end=stop, zh=name, en=defined.en, abbr=defined.abbr,
                abbr_fit=defined.abbr_fit)
        for start, stop, name in chinese_aliases_after(text, end)
    ]  # fmt: skip


def _english_alias_mentions(doc: int, text: str) -> list[Mention]:
    """``线粒体自噬又称 mitophagy``: a Chinese term and its English name, without brackets."""
    mentions = []
    for name_end, _, end, english in english_aliases(text):
        left_start, left = left_run(text, name_end)
        if not has_cjk(left):
            continue
        if looks_like_abbreviation(english):
            mentions.append(Mention(doc=doc, kind="zh_first", start=left_start, end=end, abbr=english, left=left))
        elif is_english(english) and not is_code_name(english):
            mentions.append(Mention(doc=doc, kind="zh_first", start=left_start, end=end, en=english, left=left))
    return mentions


def _keyword_mentions(doc: int, text: str) -> list[Mention]:
    """Pairs from a ``关键词：A；B`` line and its ``Key words: a; b`` line, in order."""
    lists = keyword_lists(text)
    if "zh" not in lists or "en" not in lists:
        return []
    zh_start, zh_end, zh_items = lists["zh"]
    en_start, en_end, en_items = lists["en"]
    start, end = min(zh_start, en_start), max(zh_end, en_end)
    return [
        Mention(doc=doc, kind="keywords", start=start, end=end, zh=zh, en=en)
        for zh, en in pair_keywords(zh_items, en_items, text)
        if has_cjk(zh) and is_english(en)
    ]


def _legend_mentions(doc: int, text: str) -> list[Mention]:
    """Pairs a legend states: ``TH：酪氨酸羟化酶 tyrosine hydroxylase；…``."""
    return [
        Mention(doc=doc, kind="legend", start=entry.start, end=entry.end, zh=entry.zh, en=entry.en,
                abbr=entry.abbr, abbr_fit=entry.fit)
        for entry in legend_entries(text)
    ]  # fmt: skip
