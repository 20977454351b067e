"""Other names announced in the text: ``X又称Y``, ``X也称为Y``, ``X被稱為Y``, ``X简称Y``.

Such a phrase ties a second name to a term. When one of the two names carries
a bracketed English (``维生素B1（thiamine）也称硫胺素``, ``对乙酰氨基酚又称扑热息痛（paracetamol）``)
both Chinese names pair with that English; when the second name is itself
English (``线粒体自噬又称 mitophagy``) the phrase is a pair without any bracket.
This module finds the names; :mod:`~glossary.mining.extract` makes the mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .textforms import CJK, GREEK

__all__ = ["chinese_aliases_after", "english_aliases", "split_at_alias"]

# "Also called": what stands before it is a name too, so both names are one term.
ALSO_CALLED = re.compile(r"(?:又|也|亦|俗|简|簡)(?:被)?(?:称|稱|叫)(?:作|做|为|為)?|又名|亦名|别名|別名")
# "Is called": what stands before it may be a description (此过程称为…), so only a
# name already defined in brackets before it can lend its English to what follows.
CALLED = re.compile(f"(?:{ALSO_CALLED.pattern})|(?:被|通常|一般|统|統)?(?:称|稱)(?:作|为|為)|叫做|叫作")
# A second name: Han characters, perhaps with Latin letters, digits and hyphens (Toll样受体4).
CHINESE_NAME = f"[{CJK}{GREEK}A-Za-z0-9\\-\u2010\u2011\u2013]{{2,16}}"
# Characters that show a run is a clause, not a name: 被称为体内唯一的降糖激素.
NAME_RUN = re.compile(CHINESE_NAME)
LEAD = re.compile(r"[ ，,]?\s*")
SPACES = re.compile(r"\s*")
NOT_IN_A_NAME = re.compile("[的是在了将把被使为于与及]")
NAME_SEPARATOR = re.compile("[或、]|和")
ENGLISH_NAME = re.compile(r"[A-Za-z][A-Za-z0-9\-\u2010\u2011\u2013' ]{0,60}[A-Za-z0-9]")
MAX_ENGLISH_WORDS = 6


def _alias_keyword(text: str, start: int) -> re.Match[str] | None:
    """The 又称-like keyword at ``start`` (after an optional comma), if any."""
    lead = LEAD.match(text, start)
    return CALLED.match(text, lead.end() if lead else start)


def chinese_aliases_after(text: str, end: int) -> list[tuple[int, int, str]]:
    """Chinese names announced right after ``end``: ``（…）也称硫胺素`` → [(start, end, 硫胺素)].

    Only a short run that ends at punctuation counts as a name; ``被称为体内唯一
    的降糖激素`` is a description, not a second name.
    """
    keyword = _alias_keyword(text, end)
    if not keyword:
        return []
    run = NAME_RUN.match(text, keyword.end())
    if not run:
        return []
    rest = text[run.end() : run.end() + 8].lstrip(" ")
    if rest and rest[0] not in "，。；;,.、\n":
        return []  # its own bracket defines it, or the run goes on into a clause
    names = []
    position = keyword.end()
    for piece in NAME_SEPARATOR.split(run.group(0)):
        start = text.find(piece, position)
        position = start + len(piece)
        if len(piece) >= 2 and re.search(f"[{CJK}]", piece) and not NOT_IN_A_NAME.search(piece):
            names.append((start, start + len(piece), piece))
    return names


def split_at_alias(left: str) -> tuple[str, str] | None:
    """``…对乙酰氨基酚又称扑热息痛`` → (``…对乙酰氨基酚``, ``扑热息痛``): the parts around 又称.

    The bracket that follows defines the name after 又称, and the term before
    又称 is the same concept; where that term starts is left for the boundary
    stage to choose. None when the left context holds no such phrase, or when
    what follows 又称 is no name.
    """
    match = re.search(f"(?:{ALSO_CALLED.pattern})({CHINESE_NAME})$", left)
    if not match:
        return None
    name = match.group(1)
    before = left[: match.start()].rstrip("，, ")
    if NOT_IN_A_NAME.search(name) or not before or not re.match(f"[{CJK}A-Za-z0-9]", before[-1]):
        return None
    return before, name


def english_aliases(text: str) -> Iterator[tuple[int, int, int, str]]:
    """``X又称 English``: (end of X, start and end of the English, English) for each such phrase."""
    for keyword in ALSO_CALLED.finditer(text):
        spaces = SPACES.match(text, keyword.end())
        english = ENGLISH_NAME.match(text, spaces.end() if spaces else keyword.end())
        if not english:
            continue
        follows = text[english.end() : english.end() + 1]
        if follows and follows not in "，。；;,.、\n（(":
            continue
        if len(english.group(0).split()) > MAX_ENGLISH_WORDS:
            continue
        end = keyword.start()
        if end > 0 and text[end - 1] in "，, ":
            end -= 1
        if end > 0 and re.match(f"[{CJK}]", text[end - 1]):
            yield end, english.start(), english.end(), english.group(0).strip()
