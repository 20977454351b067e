"""Cleanup of PDF-extracted text, with a map back to the original offsets.

Text pulled out of a PDF breaks every line where the page did, inserts running
headers, footers, page numbers and figure captions in mid-sentence, keeps the
citation marks, splits words at ligatures (``eff ector``) and scatters spaces
(``下丘脑 -垂体``, ``血 浆 脂 多 糖``). Converters that write Markdown add their
own markup (LaTeX fragments, HTML tables, list markers), which :mod:`.markup`
reduces to text first. Each repair here is one rewrite whose
:class:`~glossary.mining.offsets.OffsetMap` lets evidence point back into the
text as decoded.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .markup import PARAGRAPH_BREAK, read_latex_fragments, strip_html, strip_markdown
from .offsets import OffsetMap, Rewriter, rewrite
from .textforms import CJK, GREEK

__all__ = ["CleanText", "clean_text"]

SENTENCE_END = "。！？!?；;"
HYPHENS = "-\u2010\u2011\u2013\u2043\u00ad"
SOFT_HYPHENS = "\u2043\u00ad"  # hyphenation marks: a word split, never part of it
CJK_OR_PUNCT = f"{CJK}，。、；：！？（）“”《》〈〉【】「」"

# One-to-one character repairs: no offsets move.
FULLWIDTH_ALNUM: dict[int | str, int | str] = {
    code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()
}
_SAME_LENGTH_REPAIRS: dict[int | str, int | str] = {
    **FULLWIDTH_ALNUM,
    "\r": "\n",
    "\u2028": "\n",  # line and paragraph separators: U+2029 is kept for the breaks markup writes
    "\u2029": "\n",
    "\t": " ",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
}
SAME_LENGTH = str.maketrans(_SAME_LENGTH_REPAIRS)
CHARACTER_REPAIRS = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff]"  # zero-width characters
    "|[\ufb00-\ufb04]"  # ligature glyphs ﬀ ﬁ ﬂ ﬃ ﬄ
    f"|(?<=[a-z])[{SOFT_HYPHENS}](?=[a-z])"  # Ab⁃stract
    f"|[{SOFT_HYPHENS}](?![ \\n]*\\n)"  # a hyphen bullet used as a hyphen
)
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}

CITATION = re.compile(r"[ \u3000]*[\[［]\s*\d{1,4}(?:\s*[-–—~～,，、]\s*\d{1,4})*\s*[\]］]")
# A ligature glyph dropped by the extractor leaves a space after ff/fi/fl: "eff ector".
LIGATURE_SPLIT = re.compile(r"\b([A-Za-z]*(?:ff|fi|fl)) ([a-z]{2,})\b")
WORDS_ENDING_IN_LIGATURE = frozenset(
    "off staff stuff cliff sniff cuff puff tariff sheriff bluff chaff scoff stiff whiff "
    "plaintiff cutoff tradeoff takeoff handoff diff riff buff huff gruff fluff snuff scruff "
    "skiff tiff wifi hifi scifi".split()
)
SPACES_BETWEEN_CJK = re.compile(f"(?<=[{CJK_OR_PUNCT}])[ \u3000]+(?=[{CJK_OR_PUNCT}])")
SPACES_AROUND_HYPHEN = re.compile(
    f"(?<=[{CJK}])[ \u3000]+(?=[-\u2010\u2011\u2013]\\S)"
    f"|(?<=[{CJK}{GREEK}\\w][-\u2010\u2011\u2013])[ \u3000]+(?=[{CJK}])"
)

# Line classes.
HEADING = re.compile(r"^\d{1,2}(?:\s*[.．]\s*\d{1,2}){0,3}[\s\u3000]+[^，。：:；,;]{1,40}$")
CAPTION = re.compile(r"^(?:图|表|圖|Fig\.?|Figure|Table|Tab\.)\s*\d+", re.IGNORECASE)
KEYWORDS = re.compile(r"^[【\[［]?\s*(?:关键词|关键字|關鍵詞|關鍵字|Key\s*words?)\s*[】\]］]?\s*[:：]?", re.IGNORECASE)
BLOCK_START = re.compile(r"^(?:【|摘\s*要|Abstract\b|参考文献|References\b)", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$")
URL_OR_DOI = re.compile(r"^(?:https?://\S+|www\.\S+|\S+@\S+\.\w+)$|\bdoi\s*[:：]", re.IGNORECASE)
RUNNING_HEAD = re.compile(
    r"(?:19|20)\d\d\s*[,，]\s*\d+\s*[(（]\s*\d+\s*[)）]"  # 2024, 64(9)
    r"|第\s*\d+\s*[卷期]|\bVol\.?\s*\d+|\bNo\.\s*\d+"
    r"|\s[|｜]\s.*(?:19|20)\d\d"
)


@dataclass
class CleanText:
    """A cleaned text, the text it came from, and the rewrites between them."""

    text: str
    source: str
    maps: list[OffsetMap] = field(default_factory=list)

    def apply(self, steps: Iterable[Callable[[str], tuple[str, OffsetMap]]]) -> CleanText:
        """Run each rewriting step on the text in turn, keeping the map of each that changed it."""
        for step in steps:
            text, offset_map = step(self.text)
            if text != self.text:
                self.text = text
                self.maps.append(offset_map)
        return self

    def to_source(self, pos: int, *, end: bool = False) -> int:
        """Map a position in :attr:`text` to a position in :attr:`source`."""
        for offset_map in reversed(self.maps):
            pos = offset_map.to_source(pos, end=end)
        return min(max(pos, 0), len(self.source))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of ``text[start:end]``."""
        source_start = self.to_source(start)
        return source_start, max(source_start, self.to_source(end, end=True))

    def sentence_at(self, start: int, end: int, limit: int = 240) -> str:
        """The cleaned sentence around ``text[start:end]``, at most about ``limit`` characters."""
        text = self.text
        left = max(text.rfind(mark, max(0, start - limit), start) for mark in SENTENCE_END + "\n")
        left = max(left + 1, start - limit)
        rights = [i for i in (text.find(mark, end, end + limit) for mark in SENTENCE_END + "\n") if i >= 0]
        right = min(rights) + 1 if rights else min(len(text), end + limit)
        return text[left:right].strip()


def clean_text(source: str) -> CleanText:
    """Clean PDF-extracted or converted text: strip markup, join broken lines, drop page furniture, repair artefacts."""
    clean = CleanText(text=source.translate(SAME_LENGTH), source=source)
    steps = (
        _repair_characters,
        strip_html,
        read_latex_fragments,
        strip_markdown,
        _join_lines,
        _drop_citations,
        _join_ligature_splits,
        _drop_spaces_between_cjk,
        _drop_spaces_around_hyphens,
    )
    return clean.apply(steps)


def _repair_characters(text: str) -> tuple[str, OffsetMap]:
    def repair(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in LIGATURES:
            return LIGATURES[char]
        if char in SOFT_HYPHENS and match.start() > 0 and text[match.start() - 1].islower():
            return ""
        return "-" if char in SOFT_HYPHENS else ""

    return rewrite(text, CHARACTER_REPAIRS, repair)


@dataclass
class _Line:
    start: int  # content span, surrounding spaces excluded
    end: int
    kind: str  # body, heading, caption, keywords, block, furniture
    starts_block: bool = False  # markup ended a block before this line: never joined to the previous one


def _classify_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    block_break = False
    for raw in text.split("\n"):
        stripped = raw.strip(" \u3000")
        start = position + (len(raw) - len(raw.lstrip(" \u3000")))
        position += len(raw) + 1
        if not stripped:
            continue
        if not stripped.strip(PARAGRAPH_BREAK):
            block_break = True
            continue
        if (
            PAGE_NUMBER.match(stripped)
            or URL_OR_DOI.search(stripped)
            or (len(stripped) <= 160 and stripped[-1] not in "。，," and RUNNING_HEAD.search(stripped))
        ):
            kind = "furniture"
        elif KEYWORDS.match(stripped):
            kind = "keywords"
        elif CAPTION.match(stripped):
            kind = "caption"
        elif HEADING.match(stripped):
            kind = "heading"
        elif BLOCK_START.match(stripped):
            kind = "block"
        else:
            kind = "body"
        lines.append(_Line(start, start + len(stripped), kind, block_break))
        block_break = False
    _mark_vertical_text(lines)
    _mark_interrupting_captions(text, lines)
    kept: list[_Line] = []
    block_break = False
    for line in lines:
        if line.kind == "furniture":  # a block boundary before a dropped line still holds after it
            block_break = block_break or line.starts_block
            continue
        line.starts_block = line.starts_block or block_break
        block_break = False
        kept.append(line)
    return kept


def _mark_vertical_text(lines: list[_Line]) -> None:
    """A run of three or more one-character lines is a label set vertically in the margin.

    One-character table cells or list items are blocks of their own, not such a run.
    """
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.end - line.start == 1 and not line.starts_block:
            run.append(line)
            continue
        if len(run) >= 3:
            for member in run:
                member.kind = "furniture"
        run = []


def _mark_interrupting_captions(text: str, lines: list[_Line]) -> None:
    """A caption between two halves of one sentence is dropped, as page furniture is."""
    kept = [line for line in lines if line.kind != "furniture"]
    # The nearest non-caption line after each, found in one backward pass: looking
    # it up afresh for every caption made a long text quadratic.
    following: list[_Line | None] = [None] * len(kept)
    after = None
    for index in range(len(kept) - 1, -1, -1):
        following[index] = after
        if kept[index].kind != "caption":
            after = kept[index]
    before = None
    for index, line in enumerate(kept):
        if line.kind != "caption":
            before = line
            continue
        after = following[index]
        if before and after and before.kind == "body" and after.kind == "body" and not _ends_sentence(text, before):
            line.kind = "furniture"


def _ends_sentence(text: str, line: _Line) -> bool:
    last = text[line.end - 1]
    if last in SENTENCE_END:
        return True
    if last == ".":
        word = text[max(line.start, line.end - 6) : line.end].split()[-1].lower()
        return word not in ("al.", "fig.", "vs.", "e.g.", "i.e.", "no.", "eq.") and not text[line.end - 2].isdigit()
    return False


def _breaks_between(text: str, before: _Line, after: _Line) -> bool:
    if after.starts_block:
        return True
    if before.kind in ("heading", "caption") or after.kind in ("heading", "caption", "keywords", "block"):
        return True
    if before.kind == "keywords":
        return text[before.end - 1] not in "；;，,、"
    return _ends_sentence(text, before)


def _is_word_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or "\u0370" <= char <= "\u03ff"


def _joiner(left: str, right: str) -> str:
    """What goes between the end of one line and the start of the next within a sentence."""
    if (_is_word_char(left) or left in ",;:.)%]'\"") and (_is_word_char(right) or right in "(['\""):
        return " "
    return ""


def _join_lines(text: str) -> tuple[str, OffsetMap]:
    lines = _classify_lines(text)
    writer = Rewriter(text)
    if not lines:
        writer.replace(0, len(text), "")
        return writer.finish()
    writer.replace(0, lines[0].start, "")
    words = None
    for before, after in itertools.pairwise(lines):
        gap_start, gap_end = before.end, after.start
        if _breaks_between(text, before, after):
            separator = "\n"
        elif text[before.end - 1] in HYPHENS and before.end - before.start > 1:
            if words is None:
                words = _word_set(text)
            gap_start, separator = _hyphen_break(text, before, after, words)
        else:
            separator = _joiner(text[before.end - 1], text[after.start])
        if text[gap_start:gap_end] != separator:
            writer.replace(gap_start, gap_end, separator)
    writer.replace(lines[-1].end, len(text), "")
    return writer.finish()


def _word_set(text: str) -> frozenset[str]:
    return frozenset(word.lower() for word in re.findall(r"[A-Za-z]{3,}", text))


def _hyphen_break(text: str, before: _Line, after: _Line, words: frozenset[str]) -> tuple[int, str]:
    """A line-final hyphen: drop it when it only split a word, keep it in compounds.

    Hyphenation marks (⁃, soft hyphen) always split a word. A plain hyphen is
    kept (``hypothalamic-`` / ``pituitary``) unless the document writes the
    joined word elsewhere without it, which shows the hyphen was a break.
    """
    hyphen = before.end - 1
    left = re.search(r"[A-Za-z]+$", text[before.start : hyphen])
    right = re.match(r"[a-z]+", text[after.start : after.end])
    if text[hyphen] in SOFT_HYPHENS or (left and right and (left.group(0) + right.group(0)).lower() in words):
        return hyphen, ""
    return before.end, ""


def _drop_citations(text: str) -> tuple[str, OffsetMap]:
    return rewrite(text, CITATION, lambda match: "")


def _join_ligature_splits(text: str) -> tuple[str, OffsetMap]:
    words = None

    def join(match: re.Match[str]) -> str | None:
        nonlocal words
        left, right = match.group(1), match.group(2)
        if left.lower() in WORDS_ENDING_IN_LIGATURE:
            if words is None:
                words = _word_set(text)
            if (left + right).lower() not in words:
                return None
        return left + right

    return rewrite(text, LIGATURE_SPLIT, join)


def _drop_spaces_between_cjk(text: str) -> tuple[str, OffsetMap]:
    return rewrite(text, SPACES_BETWEEN_CJK, lambda match: "")


def _drop_spaces_around_hyphens(text: str) -> tuple[str, OffsetMap]:
    return rewrite(text, SPACES_AROUND_HYPHEN, lambda match: "")
