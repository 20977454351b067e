"""Markdown and HTML → the text a reader sees, with a map back to the file as written.

Markdown is reduced by the miner's own rewrites (:mod:`glossary.mining.markup`:
inline HTML, LaTeX fragments, then the Markdown itself), with the file taken
as a Markdown document whatever its look. HTML is parsed with the standard
library's :class:`html.parser.HTMLParser`: tags go, block elements and table
cells end a line, entities are decoded, and whatever is not shown (scripts,
styles, the head, comments) is dropped. Scripts are never run, so a page whose
text only its scripts would write has nothing to mine and is refused.

Either way each block ends up on a line of its own, the same text a person
would save as ``.txt``, so both mine as that plain text does.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..mining import CleanText
from ..mining.markup import PARAGRAPH_BREAK, read_latex_fragments, strip_html, strip_markdown
from ..mining.offsets import Rewriter
from .document import ReadDocument, RefusedDocument

__all__ = ["looks_like_html", "read_html", "read_markdown"]

HTML_START = re.compile(r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
BLOCKS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
HIDDEN = frozenset(("script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"))
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
BREAK_LINES = re.compile(f"\n?[ \t]*{PARAGRAPH_BREAK}[ \t]*(?:\n[ \t]*{PARAGRAPH_BREAK}[ \t]*)*\n?")
LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*|\A[ \t]+|[ \t]+\Z")
SPACES = re.compile(r"[ \t\r\n\f\v]+")
MIN_VISIBLE = 1


def looks_like_html(text: str) -> bool:
    """True when the text starts as an HTML document does (a doctype, ``<html>``, ``<head>`` or ``<body>``)."""
    return bool(HTML_START.match(text[:4096]))


def read_markdown(original: str, encoding: str) -> ReadDocument:
    """A decoded Markdown file, its markup removed by the miner's own rewrites."""
    clean = CleanText(text=original, source=original)
    steps = (
        strip_html,
        read_latex_fragments,
        lambda text: strip_markdown(text, document=True),
        _breaks_to_lines,
        _trim_lines,
    )
    clean.apply(steps)
    return ReadDocument(kind="markdown", text=clean.text, original=original, encoding=encoding, markup=clean)


def _breaks_to_lines(text: str):
    """Each run of paragraph-break lines the rewrites leave becomes one line break."""
    writer = Rewriter(text)
    for match in BREAK_LINES.finditer(text):
        at_edge = match.start() == 0 or match.end() == len(text)
        writer.replace(match.start(), match.end(), "" if at_edge else "\n")
    return writer.finish()


def read_html(original: str, encoding: str, name: str) -> ReadDocument:
    """A decoded HTML page's visible text, or :class:`RefusedDocument` when it shows none."""
    parser = _EventParser()
    parser.feed(original)
    parser.close()
    writer = Rewriter(original)
    line_starts = [0] + [match.end() for match in re.finditer("\n", original)]
    events = [(line_starts[line - 1] + column, kind, tag) for (line, column), kind, tag in parser.events]
    hidden = 0
    scripts = 0
    at_line_start = True
    for index, (start, kind, tag) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else len(original)
        if end <= start:
            continue
        if kind == "start":
            if tag == "script":
                scripts += 1
            if tag in HIDDEN and tag not in VOID:
                hidden += 1
            block = tag in BLOCKS and not hidden
            writer.replace(start, end, "\n" if block and not at_line_start else "")
            at_line_start = at_line_start or block
        elif kind == "end":
            if tag in HIDDEN and hidden:
                hidden -= 1
            block = tag in BLOCKS and not hidden
            writer.replace(start, end, "\n" if block and not at_line_start else "")
            at_line_start = at_line_start or block
        elif kind == "data" and not hidden:
            at_line_start = _rewrite_spaces(writer, original, start, end, at_line_start)
        elif kind == "entity" and not hidden:
            decoded = html.unescape(original[start:end])
            decoded = " " if decoded.isspace() else decoded
            if decoded == " " and at_line_start:
                decoded = ""
            writer.replace(start, end, decoded)
            at_line_start = at_line_start and not decoded
        else:  # hidden content, comments, declarations, processing instructions
            writer.replace(start, end, "")
    if events and events[0][0] > 0:
        writer.replace(0, events[0][0], "")
    text, offset_map = writer.finish()
    text, trim_map = _trim_lines(text)
    clean = CleanText(text=text, source=original, maps=[offset_map, trim_map])
    if sum(1 for char in text if not char.isspace()) < MIN_VISIBLE:
        if scripts:
            raise RefusedDocument(
                name,
                "this page has no text of its own: its scripts would write it, and scripts "
                "are never run here. Open it in a browser and save it once it has loaded "
                "(or save it as text)",
                "scripts",
            )
        raise RefusedDocument(name, "this HTML page shows no text", "empty")
    return ReadDocument(kind="html", text=text, original=original, encoding=encoding, markup=clean)


def _rewrite_spaces(writer: Rewriter, original: str, start: int, end: int, at_line_start: bool) -> bool:
    """Collapse white space in a text run as a browser does; True when the run leaves us at a line start."""
    position = start
    for match in SPACES.finditer(original, start, end):
        if match.start() > position:
            at_line_start = False
        replacement = "" if at_line_start else " "
        if original[match.start() : match.end()] != replacement:
            writer.replace(match.start(), match.end(), replacement)
        position = match.end()
    if end > position:
        at_line_start = False
    return at_line_start


def _trim_lines(text: str):
    """No spaces at either end of a line, no blank lines, nothing blank at either end of the text."""
    writer = Rewriter(text)
    for match in LINE_BREAKS.finditer(text):
        at_edge = match.start() == 0 or match.end() == len(text)
        replacement = "" if at_edge else "\n"
        if match.group(0) != replacement:
            writer.replace(match.start(), match.end(), replacement)
    return writer.finish()


class _EventParser(HTMLParser):
    """Records where each tag, text run and entity starts, with what it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[tuple[tuple[int, int], str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.events.append((self.getpos(), "start", tag))

    def handle_startendtag(self, tag, attrs):
        self.events.append((self.getpos(), "start" if tag in VOID else "empty", tag))

    def handle_endtag(self, tag):
        self.events.append((self.getpos(), "end", tag))

    def handle_data(self, data):
        self.events.append((self.getpos(), "data", ""))

    def handle_entityref(self, name):
        self.events.append((self.getpos(), "entity", name))

    def handle_charref(self, name):
        self.events.append((self.getpos(), "entity", name))

    def handle_comment(self, data):
        self.events.append((self.getpos(), "comment", ""))

    def handle_decl(self, decl):
        self.events.append((self.getpos(), "comment", ""))

    def handle_pi(self, data):
        self.events.append((self.getpos(), "comment", ""))

    def unknown_decl(self, data):
        self.events.append((self.getpos(), "comment", ""))
