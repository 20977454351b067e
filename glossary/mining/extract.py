"""Extraction: where a cleaned text defines a term, in brackets or keyword lines.

Every bracket, full- or half-width, with or without a space before it, is read
as one of the forms authors use:

* ``中文（English）``, ``中文（English，ABBR）``, ``中文（ABBR，English）``, ``中文（ABBR）``
* ``English（中文）``, ``English (ABBR, 中文)``, ``English (ABBR)``
* lists such as ``埃希氏菌/志贺氏菌(Escherichia/Shigella)``

What is not a definition is rejected: citations, figure and table references,
grant numbers, dates, statistics, ``如…等`` remarks, author–year mentions and
markup. A ``关键词`` line and its ``Key words`` line give pairs in order when
their counts agree. Where the Chinese term starts is decided later, by
:mod:`~glossary.mining.boundary`; here the whole left context is kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .abbreviations import abbreviation_fits, find_full_form, looks_like_abbreviation, repair_abbreviation
from .cleanup import KEYWORDS, CleanText
from .textforms import CJK, GREEK, ROMAN, has_cjk

__all__ = ["Mention", "find_mentions"]

BRACKET = re.compile(r"[(（]\s*([^()（）\n]{1,200}?)\s*[)）]")
PART_SEPARATOR = re.compile(r"\s*(?:[，；;]|,(?!\d))\s*")
# Characters a term may be made of, on either side of the bracket.
TERM_CHAR = re.compile(f"[{CJK}{GREEK}{ROMAN}A-Za-z0-9\\-\u2010\u2011\u2013/·'’ʼ+ ]")
LEFT_LIMIT = 48
INNER_ASIDE = re.compile(f"[(（][{CJK}]{{1,6}}[)）]")
ENGLISH = re.compile(f"^[A-Za-z{GREEK}0-9][A-Za-z{GREEK}{ROMAN}0-9 \\-\u2010\u2011\u2013/'’ʼ&.+]*$")
NOT_A_DEFINITION = re.compile(
    r"^\s*(?:如|例如|比如|包括|即|又称|详见|见|参见|参考|e\.\s*g\.|i\.\s*e\.|see\b|cf\.)"
    r"|(?:图|表|圖|Fig\.?|Figure|Table)\s*\d"
    r"|[=<>≤≥±%‰<>{}\\$*_`#|@]|https?:|www\."
    r"|\bp\s*[<=>]|\bn\s*="
    r"|(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}"
    r"|(?:et\s+al\.?|等)\s*,?\s*(?:19|20)\d\d"
    r"|^[A-Z][A-Za-z\-]+\s*,?\s+(?:19|20)\d\d[a-z]?$"
    r"|\d{5,}|\bNo\.\s*\d"
    r"|\d\.\d|\b(?:CI|OR|RR|HR|SD|SE|IQR)\s*[\d:=]"  # statistics: HR 0.75, OR 2
    r"|^[\d.,:~\-–]+\s",  # measurements and ranges: 10 mg/kg, 18–65 years
    re.IGNORECASE,
)
NOT_A_TERM_START = re.compile(r"^(?:如|例如|即|包括|见|参见|又称|简称|的|和|与|或)")
FUNCTION_WORDS_EN = frozenset("a an the of and or in on for to with by is are was were as at from that this".split())
CONTINUATION = re.compile(f"^(?:[-\u2010\u2011\u2013]?\\d{{1,2}}[A-Za-z]?(?![\\d.])|[{CJK}]{{1,2}})")


@dataclass
class Mention:
    """One place in one document that defines (part of) a term.

    For ``zh_first`` mentions the Chinese term is some ending of ``left``, chosen
    by the boundary stage; for the other kinds ``zh`` is known already.
    """

    doc: int
    kind: str  # zh_first, en_first, keywords
    start: int  # cleaned-text span of the whole mention
    end: int
    en: str = ""
    abbr: str = ""
    abbr_fit: float = 0.0
    zh: str = ""
    left: str = ""
    after: str = ""


def find_mentions(doc: int, clean: CleanText) -> list[Mention]:
    """All bracket and keyword-line definitions in one cleaned document."""
    mentions = [m for match in BRACKET.finditer(clean.text) if (m := _bracket_mention(doc, clean.text, match))]
    mentions.extend(_keyword_mentions(doc, clean.text))
    return mentions


def _left_run(text: str, end: int) -> tuple[int, str]:
    """The characters before ``end`` that could belong to a term, up to a delimiter.

    A short Chinese aside in brackets inside a name is crossed, not taken as the
    delimiter: ``开放科学（资源服务）标识码``.
    """
    while end > 0 and text[end - 1] == " ":
        end -= 1
    start = end
    while start > 0 and end - start < LEFT_LIMIT:
        if TERM_CHAR.match(text[start - 1]):
            start -= 1
            continue
        aside = INNER_ASIDE.search(text, max(0, start - 10), start)
        if aside and aside.end() == start and aside.start() > 0 and re.match(f"[{CJK}]", text[aside.start() - 1]):
            start = aside.start()
            continue
        break
    while start < end and text[start] == " ":
        start += 1
    return start, text[start:end]


def _is_english(part: str) -> bool:
    return bool(ENGLISH.match(part)) and len(re.findall(r"[A-Za-z]{2,}", part)) >= 1 and len(part.split()) <= 12


def _split_parts(content: str) -> list[str]:
    return [part.strip(" .") for part in PART_SEPARATOR.split(content) if part.strip(" .")]


def _bracket_mention(doc: int, text: str, match: re.Match[str]) -> Mention | None:
    content = match.group(1).strip()
    if not content or NOT_A_DEFINITION.search(content):
        return None
    parts = _split_parts(content)
    if not 1 <= len(parts) <= 2:
        return None
    left_start, left = _left_run(text, match.start())
    if not left:
        return None
    after = text[match.end() : match.end() + 4]
    tail = re.search(f"[^{CJK}]*$", left).group(0).strip()
    if len(parts) == 1 and tail and " " not in tail and looks_like_abbreviation(tail):
        mention = _abbreviation_first(doc, match, parts[0], tail)
        if mention is not None:
            return mention
    if has_cjk(left) and len(tail.split()) <= 1 and len(tail) <= 8:
        return _chinese_first(doc, match, parts, (left_start, left), after)
    return _english_first(doc, match, parts, (left_start, left))


def _abbreviation_first(doc: int, match: re.Match[str], part: str, abbr: str) -> Mention | None:
    """``IL-6（interleukin-6）`` and ``IL-6（白细胞介素-6）``: the abbreviation stands before its expansion."""
    start = (
        match.start() - len(abbr) - (len(match.string[: match.start()]) - len(match.string[: match.start()].rstrip()))
    )
    if has_cjk(part):
        if not re.fullmatch(f"[{CJK}{GREEK}A-Za-z0-9\\-]{{2,15}}", part) or NOT_A_TERM_START.match(part):
            return None
        return Mention(doc=doc, kind="en_first", start=start, end=match.end(), abbr=abbr, zh=part)
    fit = abbreviation_fits(abbr, part)
    if not _is_english(part) or looks_like_abbreviation(part) or fit < 1.0:
        return None
    return Mention(doc=doc, kind="en_first", start=start, end=match.end(), en=part, abbr=abbr, abbr_fit=fit)


def _chinese_first(
    doc: int, match: re.Match[str], parts: list[str], context: tuple[int, str], after: str
) -> Mention | None:
    left_start, left = context
    if any(has_cjk(part) for part in parts):
        return None  # a Chinese remark in brackets, not a translation
    en, abbr = _english_and_abbreviation(parts)
    if not en and not abbr:
        return None
    fit = abbreviation_fits(abbr, en) if en and abbr else 0.0
    if en and abbr and not fit and not _same_initial(abbr, en):
        return None
    if abbr:
        repaired = repair_abbreviation(abbr)
        if repaired != abbr and en and abbreviation_fits(repaired, en) >= fit:
            abbr = repaired
    continuation = CONTINUATION.match(after)
    head = continuation.group(0) if continuation else ""
    if len(head) == 2 and head[1] in "的地和与及或在是中等了也":
        head = head[0]
    return Mention(
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


def _english_and_abbreviation(parts: list[str]) -> tuple[str, str]:
    """Tell the English full form from the abbreviation among the bracket's parts."""
    if len(parts) == 1:
        part = parts[0]
        if looks_like_abbreviation(part):
            return "", part
        return (part, "") if _is_english(part) else ("", "")
    first, second = parts
    first_abbr, second_abbr = looks_like_abbreviation(first), looks_like_abbreviation(second)
    if not first_abbr and not second_abbr:  # Tregs: written in lower case, yet it abbreviates the other part
        first_abbr = " " not in first and abbreviation_fits(first, second) >= 1.0
        second_abbr = " " not in second and abbreviation_fits(second, first) >= 1.0 and not first_abbr
    if first_abbr and second_abbr:  # both look short: the one that fits into the other is the abbreviation
        first_abbr = abbreviation_fits(first, second) >= abbreviation_fits(second, first)
        second_abbr = not first_abbr
    if second_abbr and not first_abbr and _is_english(first):
        return first, second
    if first_abbr and not second_abbr and _is_english(second):
        return second, first
    if not first_abbr and not second_abbr and _is_english(first) and _is_english(second):
        # (regulatory T cells, Tregs): a short form whose letters do not fit; keep the pair only
        longer, shorter = sorted((first, second), key=len, reverse=True)
        if " " not in shorter and " " in longer:
            return longer, ""
    return "", ""


def _same_initial(abbr: str, en: str) -> bool:
    """An explicit (English, ABBR) pair whose letters do not all fit still names its concept
    when the initials agree: glutathione (GSH)."""
    first_abbr = next((c for c in abbr if c.isalnum()), "").lower()
    first_en = next((c for c in en if c.isalnum()), "").lower()
    return bool(first_abbr) and first_abbr == first_en


def _english_first(doc: int, match: re.Match[str], parts: list[str], context: tuple[int, str]) -> Mention | None:
    left_start, left = context
    english = re.search(f"[^{CJK}]*$", left).group(0).strip(" -/")
    if not re.search(r"[A-Za-z]{2,}", english):
        return None
    chinese = [part for part in parts if has_cjk(part)]
    others = [part for part in parts if not has_cjk(part)]
    if len(chinese) > 1 or not _plausible_chinese_term(chinese[0] if chinese else ""):
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
        en, fit = _english_before(english, zh), 0.0
    else:
        return None
    if not en:
        return None
    start = left_start + left.rfind(en) if en in left else match.start()
    return Mention(doc=doc, kind="en_first", start=start, end=match.end(), en=en, abbr=abbr, abbr_fit=fit, zh=zh)


def _plausible_chinese_term(zh: str) -> bool:
    if not zh:
        return True
    return bool(re.fullmatch(TERM_CHAR.pattern + "{1,30}", zh)) and not NOT_A_TERM_START.match(zh)


def _english_before(english: str, zh: str) -> str:
    """The English term written before a Chinese gloss: ``heart rate variability（心率变异性）``.

    A run of capitalised words is taken whole; otherwise about one English word
    for every two Chinese characters, never starting on a function word.
    """
    words = english.split()
    if not words:
        return ""
    capitalised = []
    for word in reversed(words[-8:]):
        if word[:1].isupper() or (capitalised and word.lower() in ("of", "and", "for", "in", "the")):
            capitalised.insert(0, word)
        else:
            break
    while capitalised and capitalised[0].lower() in ("of", "and", "for", "in", "the"):
        capitalised.pop(0)
    if capitalised and not (len(capitalised) == 1 and len(words) > 1 and capitalised[0] == words[0]):
        return " ".join(capitalised)
    if len(words) <= 5 and words[0].lower() not in FUNCTION_WORDS_EN:
        return " ".join(words)  # the whole clause-initial phrase: Heart rate variability（心率变异性）
    han = len(re.findall(f"[{CJK}]", zh))
    target = max(1, math.ceil(han / 2))
    best = ""
    for count in range(1, min(len(words), 8) + 1):
        first = words[-count].lower()
        if first in FUNCTION_WORDS_EN:
            continue
        candidate = " ".join(words[-count:])
        if not best or abs(count - target) < abs(len(best.split()) - target):
            best = candidate
    return best


def _keyword_mentions(doc: int, text: str) -> list[Mention]:
    """Pairs from a ``关键词：A；B`` line and its ``Key words: a; b`` line, in order."""
    lists: dict[str, tuple[int, int, list[str]]] = {}
    for line in re.finditer(r"[^\n]+", text):
        label = KEYWORDS.match(line.group(0))
        if not label:
            continue
        items = [item.strip(" .。") for item in re.split(r"[；;，,、]", line.group(0)[label.end() :])]
        items = [item for item in items if item]
        language = "zh" if has_cjk(label.group(0)) else "en"
        if items and language not in lists:
            lists[language] = (line.start(), line.end(), items)
    if "zh" not in lists or "en" not in lists:
        return []
    zh_start, zh_end, zh_items = lists["zh"]
    en_start, en_end, en_items = lists["en"]
    if len(zh_items) != len(en_items) or len(zh_items) < 2:
        return []
    start, end = min(zh_start, en_start), max(zh_end, en_end)
    return [
        Mention(doc=doc, kind="keywords", start=start, end=end, zh=zh, en=en)
        for zh, en in zip(zh_items, en_items, strict=True)
        if has_cjk(zh) and _is_english(en)
    ]
