"""Converter markup: the Markdown, LaTeX and HTML that PDF converters write.

Converters such as MinerU turn a PDF into Markdown: headings and list items
get their markers, anything that looked like mathematics becomes an inline
LaTeX fragment with a space between every token (``$L$ -amino``,
``$\\mathrm { C D 4 } ^ { + }$``), and tables become HTML. The miner reads
prose, so each rewrite here reduces the markup to the text a reader sees; all
go through :class:`~glossary.mining.offsets.Rewriter` so that evidence still
points into the text as decoded. The LaTeX fragments are read by
:mod:`.latex`, whose functions are importable from here too.

Where markup ends a block (a heading, a list item, a table cell, a Markdown
paragraph) the rewrite leaves a line holding only :data:`PARAGRAPH_BREAK`.
The line joiner in :mod:`.cleanup` never joins across such a line and drops
it, so the break survives without this module knowing how lines are joined.
"""

from __future__ import annotations

import html
import re

from .latex import read_latex, read_latex_fragments
from .offsets import OffsetMap, Rewriter
from .textforms import CJK

__all__ = [
    "PARAGRAPH_BREAK",
    "looks_like_markdown",
    "read_latex",
    "read_latex_fragments",
    "strip_html",
    "strip_markdown",
]

# U+2029 means "paragraph separator"; cleanup turns any in the input into "\n"
# first, so every one left in the text was written here.
PARAGRAPH_BREAK = "\u2029"
BREAK_LINE = f"\n{PARAGRAPH_BREAK}\n"
BLOCK_START = f"{PARAGRAPH_BREAK}\n"

# --- HTML -----------------------------------------------------------------

# Only names of real elements count as tags: "<TNF>" or "p<0.05" in prose stay.
HTML_ELEMENTS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label link mark meta q rp rt ruby "
    "s samp small span strike strong sub sup time tt u var wbr".split()
)
HTML_BLOCKS = frozenset(
    "address article aside blockquote body br caption center col colgroup dd details div dl dt figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table "
    "tbody td tfoot th thead title tr ul".split()
)
HTML_HIDDEN = frozenset(("script", "style", "noscript", "template"))  # content is not text
HTML_MARKUP = re.compile(
    r"<!--"
    r"|<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]{0,15})(?:[\s/][^<>]{0,2000})?>"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)

# Inside a table cell a converter keeps the cell's line wraps as spaces: between two Chinese
# characters (or after Chinese punctuation) such a space is a wrap, not a word break (新生儿疼 痛).
CELL_WRAP = re.compile(f"(?<=[{CJK}、，；：])[ \u3000]+(?=[{CJK}])")
CELL_TAGS = frozenset(("td", "th"))


def strip_html(text: str) -> tuple[str, OffsetMap]:
    """Remove HTML tags and unescape entities; table cells, rows, paragraphs and ``<br>`` end a block.

    Script and style content and comments are dropped. A tag whose name is not
    an HTML element, and an entity Python does not know, stay as written.
    """
    writer = Rewriter(text)
    position = 0
    last_break = -1  # where the last block break ended: a run of tags gives one break
    # Where a closer ("-->", "</script>") was last looked for and not found: none
    # can follow either, and looking again for each opener would be quadratic.
    unclosed: dict[str, int] = {}
    in_cell = False
    while match := HTML_MARKUP.search(text, position):
        start, end = match.span()
        if in_cell:
            for wrap in CELL_WRAP.finditer(text, position, start):
                writer.replace(wrap.start(), wrap.end(), "")
        position = end
        name = (match.group("name") or "").lower()
        if name in CELL_TAGS or name in ("tr", "table"):
            in_cell = name in CELL_TAGS and not match.group("close")
        if match.group("entity"):
            decoded = html.unescape(match.group(0))
            if decoded != match.group(0):
                writer.replace(start, end, " " if decoded.isspace() else decoded)
            continue
        if not name:  # a comment: dropped when it is closed, else left alone
            close = -1 if "--" in unclosed else text.find("-->", end)
            if close >= 0:
                position = close + 3
                writer.replace(start, position, "")
            else:
                unclosed["--"] = end
            continue
        if name in HTML_HIDDEN and not match.group("close"):
            closing = None if name in unclosed else re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, end)
            if closing:
                end = position = closing.end()
            else:
                unclosed[name] = end
        elif name not in HTML_ELEMENTS and name not in HTML_BLOCKS and name not in HTML_HIDDEN:
            continue
        if name in HTML_BLOCKS:
            writer.replace(start, end, "" if start == last_break else BREAK_LINE)
            last_break = end
        else:
            writer.replace(start, end, "")
            if start == last_break:
                last_break = end
    return writer.finish()


# --- Markdown -----------------------------------------------------------------

# Each pattern starts with a literal ("\n", "**", "[") so that a text without
# Markdown is scanned at the speed of a substring search.
LINE_SIGN = (
    r"[ \t]*(?:#{1,6}[ \t]+\S|[-*+][ \t]+(?![\d\s])|```|~~~)"  # heading, bullet ("- 12 -" is a page number), fence
)
MARKDOWN_SIGNS = (
    re.compile("\n" + LINE_SIGN),
    re.compile(r"\*\*(?<![*\\]\*\*)[^\s*][^\n]{0,300}?[^\s*]\*\*(?!\*)"),  # strong emphasis
    re.compile(r"\[[^\]\n]{1,300}\]\([^)\s]{1,500}\)"),  # a link or an image
)
FIRST_LINE_SIGN = re.compile(LINE_SIGN)
HEADING_LINE = re.compile(r"\n[ ]{0,3}#{1,6}[ \t]+\S")
MARKDOWN_SIGNS_NEEDED = 3
SENTENCE_INSIDE = re.compile(r"[。！？]|[.!?](?=\s)")
PARAGRAPH_ENDS = "。！？!?；;.…:："
ATX_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")
CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$|[ \t]+$")
BLOCK_QUOTE = re.compile(r"[ ]{0,3}>[ ]?")
FENCE_OR_RULE = re.compile(r"[ ]{0,3}(?:`{3,}|~{3,}|([-*_])(?:[ \t]*\1){2,}[ \t]*$)")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?=\S)")
PIPE_DELIMITER_ROW = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
INLINE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|!?\[(?P<label>[^\]\n]{0,300})\]\([^)\n]{0,500}\)"
    r"|(?P<ticks>`{1,3})(?P<code>[^`\n]{1,300}?)(?P=ticks)"
    r"|(?<![*\\])\*\*(?P<strong>[^\s*](?:[^\n]{0,298}?[^\s\\])?)\*\*"
    r"|(?<![A-Za-z0-9_\\])__(?P<underline>[^\s_](?:[^\n]{0,298}?[^\s\\])?)__(?![A-Za-z0-9_])"
    r"|(?<![*\\])\*(?P<emphasis>[^\s*](?:[^*\n]{0,298}?[^\s*\\])?)\*(?!\*)"
)


def looks_like_markdown(text: str) -> bool:
    """True when the text shows Markdown syntax often enough to be a Markdown document.

    One sign is not enough: a PDF line may begin with "# " once, and in a PDF
    extraction a blank line does not end a paragraph.
    """
    signs = 1 if FIRST_LINE_SIGN.match(text) else 0
    for pattern in MARKDOWN_SIGNS:
        for _ in pattern.finditer(text):
            signs += 1
            if signs >= MARKDOWN_SIGNS_NEEDED:
                return True
    return False


def strip_markdown(text: str, *, document: bool | None = None) -> tuple[str, OffsetMap]:
    """Reduce Markdown to its text; headings, list items and paragraphs end blocks.

    A ``#`` heading is a block in any text. The rest (list markers, emphasis,
    code, links, images, escapes, pipe tables, and a blank line ending a
    paragraph) applies to Markdown documents only: ``document`` says whether
    the text is one, else :func:`looks_like_markdown` decides.
    """
    if document is None:
        document = looks_like_markdown(text)
    writer = Rewriter(text)
    if not document:
        starts = [match.start() + 1 for match in HEADING_LINE.finditer(text)]
        for start in [0, *starts] if ATX_HEADING.match(text) else starts:
            end = text.find("\n", start)
            _rewrite_line(writer, text, start, len(text) if end < 0 else end, document)
        return writer.finish()
    prose = _Paragraph()
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not line.strip(" \t"):
            if not prose.stops_mid_sentence():
                writer.replace(start, end, PARAGRAPH_BREAK)
                prose = _Paragraph()
        elif _rewrite_line(writer, text, start, end, document=True):
            prose.add(line)
        else:
            prose = _Paragraph()
        start = end + 1
    return writer.finish()


class _Paragraph:
    """What a blank line needs to know of the plain paragraph before it.

    Converters split a paragraph where the PDF page or column ended and put a
    blank line there. Prose that has finished a sentence but stops without
    one (``…锰超氧化物歧化酶`` / ``（Mn-SOD）表达…``) was cut, not ended; a
    title, an author line or a caption has no sentence inside and ends there.
    """

    def __init__(self) -> None:
        self.has_sentence = False
        self.last = ""

    def add(self, line: str) -> None:
        self.has_sentence = self.has_sentence or bool(SENTENCE_INSIDE.search(line))
        self.last = line.rstrip(" \t\u3000")[-1:] or self.last

    def stops_mid_sentence(self) -> bool:
        return self.has_sentence and self.last not in PARAGRAPH_ENDS


def _rewrite_line(writer: Rewriter, text: str, start: int, end: int, document: bool) -> bool:
    """Rewrite one non-blank line; True when it is plain prose (no block markup)."""
    heading = ATX_HEADING.match(text, start, end)
    if heading and (document or heading.end() < end):
        inner_end = closing.start() if (closing := CLOSING_HASHES.search(text, heading.end(), end)) else end
        writer.replace(start, heading.end(), BLOCK_START)
        if document:
            _strip_inline(writer, text, heading.end(), inner_end)
        writer.replace(inner_end, end, "\n" + PARAGRAPH_BREAK)
        return False
    if not document:
        return False
    content = start
    while quote := BLOCK_QUOTE.match(text, content, end):
        content = quote.end()
    if FENCE_OR_RULE.match(text, content, end):
        writer.replace(start, end, PARAGRAPH_BREAK)
        return False
    if text.startswith("|", content) and text[start:end].rstrip().endswith("|"):
        _rewrite_table_row(writer, text, start, content, end)
        return False
    item = LIST_ITEM.match(text, content, end)
    if item:
        writer.replace(start, item.end(), BLOCK_START)
        content = item.end()
    elif content > start:
        writer.replace(start, content, "")
    _strip_inline(writer, text, content, end)
    return not item and content == start


def _rewrite_table_row(writer: Rewriter, text: str, start: int, content: int, end: int) -> None:
    """A pipe-table row: each cell a block; the |---|---| row goes."""
    if PIPE_DELIMITER_ROW.match(text, content, end):
        writer.replace(start, end, PARAGRAPH_BREAK)
        return
    writer.replace(start, content, "")
    cell_start = content
    for pipe in UNESCAPED_PIPE.finditer(text, content, end):
        _strip_inline(writer, text, cell_start, pipe.start())
        writer.replace(pipe.start(), pipe.end(), BREAK_LINE)
        cell_start = pipe.end()
    _strip_inline(writer, text, cell_start, end)


# Where an inline construct can begin: jumping to these is much cheaper than
# trying every alternative of INLINE at every character.
INLINE_START = re.compile(r"[\\!\[`*_]")


def _strip_inline(writer: Rewriter, text: str, start: int, end: int) -> None:
    """Drop the delimiters of emphasis, code, links and escapes, keeping what they enclose."""
    position = start
    while candidate := INLINE_START.search(text, position, end):
        match = INLINE.match(text, candidate.start(), end)
        if not match:
            position = candidate.end()
            continue
        if match.group("escaped") is not None:
            writer.replace(match.start(), match.start() + 1, "")
        else:
            group = next(
                name for name in ("label", "code", "strong", "underline", "emphasis") if match.group(name) is not None
            )
            inner_start, inner_end = match.span(group)
            writer.replace(match.start(), inner_start, "")
            if group != "code":  # code is shown as written
                _strip_inline(writer, text, inner_start, inner_end)
            writer.replace(inner_end, match.end(), "")
        position = match.end()
