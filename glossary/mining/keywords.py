"""Keyword lines: ``关键词：A；B；C`` and ``Key words: a; b; c`` pair item by item.

Both lists name the same concepts in the same order, so when their counts
agree each position is a pair. Converters damage the lines in three ways that
are repaired here before counting:

* front matter glued after the last item (``转运蛋白中图分类号：Q945 文献标识码：A``,
  ``DOI``, ``文章编号``) is cut off;
* separators lost between English items (``Child anxiety Sleep quality``) are
  restored where a capitalised word starts a new item, and items glued without
  a space (``Bone densityReview``) are split where a capital follows a lower-case run;
* separators lost between Chinese items (``儿童焦虑睡眠质量``) are restored
  only where every piece of the split is written elsewhere in the same article:
  the document, not a word list, says where one keyword ends.
"""

from __future__ import annotations

import re
from functools import cache

from .cleanup import KEYWORDS
from .textforms import CJK, has_cjk

__all__ = ["keyword_lists", "pair_keywords"]

ITEM_SEPARATOR = re.compile(r"\s*[；;，,、]\s*")
# Front matter that PDF converters glue onto the end of a keyword line.
FRONT_MATTER = re.compile(
    r"(?:中图分类号|中圖分類號|分类号|文献标识码|文獻標識碼|文献标志码|文章编号|文章編號|DOI|doi|收稿日期|基金项目|"
    r"CLC\s+number|Document\s+code|Article\s+ID)\s*[:：]?.*$"
)
# Where a capital starts the next item after a lower-case word: "pain Brain".
ENGLISH_ITEM_START = re.compile(r"(?<=[a-z0-9)]) (?=[A-Z])")
# Bone densityReview: a lower-case run, then a capitalised word, with no space between.
GLUED_ENGLISH = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z]{2,})")
MIN_PIECE = 2  # Han characters in a keyword found by splitting a glued run
MAX_GLUED_RUN = 40  # longer runs are not keyword lists that lost their separators


def keyword_lists(text: str) -> dict[str, tuple[int, int, list[str]]]:
    """The first Chinese and the first English keyword line: language → (start, end, items)."""
    lists: dict[str, tuple[int, int, list[str]]] = {}
    for line in re.finditer(r"[^\n]+", text):
        label = KEYWORDS.match(line.group(0))
        if not label:
            continue
        body = FRONT_MATTER.sub("", line.group(0)[label.end() :])
        items = [item.strip(" .。") for item in ITEM_SEPARATOR.split(body)]
        items = [item for item in items if item]
        language = "zh" if has_cjk(label.group(0)) else "en"
        if items and language not in lists:
            lists[language] = (line.start(), line.end(), items)
    return lists


def pair_keywords(zh_items: list[str], en_items: list[str], text: str) -> list[tuple[str, str]]:
    """The (Chinese, English) pairs of two keyword lists, repaired until their counts agree; [] if they cannot."""
    en_items = _restore_english_items(en_items, len(zh_items))
    zh_items = _restore_chinese_items(zh_items, len(en_items), text)
    if len(zh_items) != len(en_items) or len(zh_items) < 2:
        return []
    return list(zip(zh_items, en_items, strict=True))


def _restore_english_items(items: list[str], wanted: int) -> list[str]:
    """Split English items whose separators the converter lost.

    Items glued without a space (``densityReview``) are split when that brings
    the count to ``wanted``. A line left with a single item has lost every
    separator (a keyword list has at least two): each capitalised word after a
    lower-case one then starts an item, as the first item does.
    """
    if len(items) < wanted:
        glued = [piece for item in items for piece in GLUED_ENGLISH.split(item)]
        if len(glued) == wanted:
            return glued
    if len(items) == 1:
        spaced = [piece for piece in ENGLISH_ITEM_START.split(items[0]) if piece]
        if len(spaced) >= 2 and wanted in (1, len(spaced)):
            return spaced
    return items


def _restore_chinese_items(items: list[str], wanted: int, text: str) -> list[str]:
    """Split glued Chinese items at places the article itself confirms, to reach ``wanted`` items."""
    missing = wanted - len(items)
    if missing <= 0:
        return items
    elsewhere = _outside_keyword_lines(text)
    restored: list[str] = []
    for index, item in enumerate(items):
        others = len(items) - index - 1
        pieces = _split_glued(item, missing + 1, elsewhere) if re.fullmatch(f"[{CJK}]+", item) else None
        if pieces and len(pieces) > 1 and others + len(restored) + len(pieces) <= wanted:
            missing -= len(pieces) - 1
            restored.extend(pieces)
        else:
            restored.append(item)
    return restored


def _outside_keyword_lines(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not KEYWORDS.match(line))


def _split_glued(run: str, most: int, elsewhere: str) -> list[str] | None:
    """The split of ``run`` into at most ``most`` pieces that the article writes elsewhere.

    Every piece must occur outside the keyword lines; among such splits the one
    with the most pieces wins, then the one whose rarest piece is most frequent.
    """

    if len(run) > MAX_GLUED_RUN:
        return None
    count_of = cache(elsewhere.count)  # each substring is counted once, however often the search asks

    @cache
    def best(start: int, pieces_left: int) -> tuple[int, int, tuple[str, ...]] | None:
        if start == len(run):
            return (0, 10**9, ())
        if pieces_left == 0:
            return None
        found = None
        for end in range(start + MIN_PIECE, len(run) + 1):
            piece = run[start:end]
            count = count_of(piece)
            if not count:
                continue
            rest = best(end, pieces_left - 1)
            if rest is None:
                continue
            option = (rest[0] + 1, min(count, rest[1]), (piece, *rest[2]))
            if found is None or option[:2] > found[:2]:
                found = option
        return found

    result = best(0, most)
    return list(result[2]) if result else None
