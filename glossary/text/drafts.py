"""The parts of a draft article: title, abstracts (one per language), body, references.

Chinese journal articles carry a Chinese abstract and an English one, each
meant to stand alone, so an abbreviation is rightly defined in each; the
references are other people's titles. The writer's check therefore reads each
part on its own. Parts are found by their headings (``摘要``, ``Abstract``,
``关键词``/``Key words``, ``参考文献``/``References``); a draft without them is
all body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .convert import CJK_RE

__all__ = ["DraftPart", "draft_parts", "keyword_lines"]

_OPEN, _CLOSE = r"[【\[［]?\s*", r"\s*[】\]］]?"
ABSTRACT_ZH = re.compile(f"^\\s*{_OPEN}(?:摘\\s*要|提\\s*要){_CLOSE}\\s*(?:[:：]|$|\\s)")
ABSTRACT_EN = re.compile(f"^\\s*{_OPEN}(?:Abstract|Summary){_CLOSE}\\s*(?:[:：.]|$|\\s)", re.IGNORECASE)
KEYWORDS = re.compile(
    f"^\\s*{_OPEN}(?:关键词|关键字|關鍵詞|關鍵字|Key\\s*words?|Index\\s+terms){_CLOSE}", re.IGNORECASE
)
REFERENCES = re.compile(
    f"^\\s*{_OPEN}(?:参考文献|參考文獻|References|Bibliography|Literature cited){_CLOSE}"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
ABSTRACT_LINES = 12  # a structured abstract (目的/方法/结果/结论) runs to its key-word line
TITLE_LINES, TITLE_CHARS = 4, 400  # between two abstracts: the other language's title and authors


@dataclass(frozen=True)
class DraftPart:
    """A part of the draft: ``kind`` (title, abstract, body, references), ``lang`` (zh, en), code-point span."""

    kind: str
    lang: str
    start: int
    end: int


def _language(text: str) -> str:
    return "zh" if len(CJK_RE.findall(text)) >= len(LATIN_WORD_RE.findall(text)) and CJK_RE.search(text) else "en"


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((start, start + len(line)))
        start += len(line)
    return spans


def _abstract_end(text: str, lines: list[tuple[int, int]], first: int) -> int:
    """The line index after an abstract that starts at line ``first``: past its key words, or its paragraph."""
    for index in range(first, min(len(lines), first + ABSTRACT_LINES)):
        line = text[slice(*lines[index])]
        if index > first and (ABSTRACT_ZH.match(line) or ABSTRACT_EN.match(line) or REFERENCES.match(line)):
            break
        if KEYWORDS.match(line):
            return index + 1
    end = first + 1
    heading_only = not text[slice(*lines[first])].split(maxsplit=1)[1:] if lines else False
    while heading_only and end < len(lines) and not text[slice(*lines[end])].strip():
        end += 1
    return min(len(lines), end + 1) if heading_only else end


def draft_parts(text: str) -> list[DraftPart]:
    """The draft's parts in order; together they cover every non-blank line of it."""
    lines = _lines(text)
    marked: list[tuple[int, int, str, str]] = []  # first line, line after, kind, lang
    index = 0
    while index < len(lines):
        line = text[slice(*lines[index])]
        if ABSTRACT_ZH.match(line) or ABSTRACT_EN.match(line):
            end = _abstract_end(text, lines, index)
            marked.append((index, end, "abstract", "zh" if ABSTRACT_ZH.match(line) else "en"))
            index = end
        elif REFERENCES.match(line):
            end = index + 1
            while (
                end < len(lines)
                and not ABSTRACT_ZH.match(text[slice(*lines[end])])
                and not ABSTRACT_EN.match(text[slice(*lines[end])])
            ):
                end += 1
            marked.append((index, end, "references", ""))
            index = end
        else:
            index += 1
    parts: list[DraftPart] = []
    previous_end = 0
    has_abstract = any(kind == "abstract" for *_, kind, _ in marked)
    for position, (first, after, kind, lang) in enumerate([*marked, (len(lines), len(lines), "", "")]):
        if first > previous_end:
            gap = (lines[previous_end][0], lines[first - 1][1])
            gap_text = text[slice(*gap)]
            before_abstract = position < len(marked) and marked[position][2] == "abstract"
            filled = [line for line in gap_text.splitlines() if line.strip()]
            short = len(filled) <= TITLE_LINES and len(gap_text) <= TITLE_CHARS
            is_title = has_abstract and before_abstract and (position == 0 or short)
            parts.append(DraftPart("title" if is_title else "body", _language(gap_text), *gap))
        if kind:
            span = (lines[first][0], lines[after - 1][1])
            parts.append(DraftPart(kind, lang or _language(text[slice(*span)]), *span))
        previous_end = after
    return [part for part in parts if text[part.start : part.end].strip()]


def keyword_lines(text: str) -> list[tuple[int, int]]:
    """The spans of ``关键词：…`` / ``Key words: …`` lines: lists of terms, not prose that uses them."""
    return [(start, end) for start, end in _lines(text) if KEYWORDS.match(text[start:end])]
