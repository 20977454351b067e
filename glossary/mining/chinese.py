"""The Chinese side of a definition: the run before a bracket that may hold a term.

The bracket says where a term ends, nothing says where it starts: extraction
keeps every character before it that could belong to a term and leaves the
choice of the start to :mod:`~glossary.mining.boundary`. What it decides here
is only what cannot be a Chinese term at all (``如…``, ``而不通过…``) and whether
a Chinese name can stand before an abbreviation (``儿童睡眠问卷量表 CSHQ(…)``).
"""

from __future__ import annotations

import math
import re

from .english import FUNCTION_WORDS_EN
from .textforms import CJK, GREEK, ROMAN

__all__ = ["NOT_A_TERM_START", "chinese_name_before", "left_run", "plausible_chinese_term"]

# Characters a term may be made of, on either side of the bracket.
TERM_CHAR = re.compile(f"[{CJK}{GREEK}{ROMAN}A-Za-z0-9\\-\u2010\u2011\u2013/·'’ʼ+ ]")
LEFT_LIMIT = 48
INNER_ASIDE = re.compile(f"[(（][{CJK}]{{1,6}}[)）]")
# Words that open a remark, not a name: 如…, 而不通过…, 包括…
NOT_A_TERM_START = re.compile(
    r"^(?:如|例如|即|包括|见|参见|又称|简称|的|和|与|或|而|但|并且|通过|经过|由于|因为|以及|其中)"
)
# Words that end a clause before a name: 名为视网膜色素上皮 RPE（…）, 采用的儿童睡眠问卷量表 CSHQ(…).
NAME_BREAK = re.compile("[的是了在对从由被将把以为即如等有用]")
HAN_PER_ENGLISH_WORD = 1.5


def left_run(text: str, end: int) -> tuple[int, str]:
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


def chinese_name_before(text: str, end: int, en: str) -> tuple[int, str] | None:
    """The left context of ``中文 ABBR（English）`` when a Chinese name can stand before the abbreviation.

    A name of several English words takes several Han characters: ``检测血清
    IL-6（interleukin-6）`` and ``患者血清TNF-α（tumor necrosis factor α）`` have only a
    modifier before the abbreviation, and stay an English–abbreviation pair.
    """
    position = end - 1 if end > 0 and text[end - 1] == " " else end
    if position <= 0 or not re.match(f"[{CJK}]", text[position - 1]):
        return None
    content_words = [w for w in en.split() if w.lower() not in FUNCTION_WORDS_EN and re.search("[A-Za-z]{2,}", w)]
    if len(content_words) < 2:
        return None
    left_start, left = left_run(text, position)
    name = NAME_BREAK.split(left)[-1]
    if len(re.findall(f"[{CJK}]", name)) < math.ceil(HAN_PER_ENGLISH_WORD * len(content_words)):
        return None
    return left_start, left


def plausible_chinese_term(zh: str) -> bool:
    if not zh:
        return True
    return bool(re.fullmatch(TERM_CHAR.pattern + "{1,30}", zh)) and not NOT_A_TERM_START.match(zh)
