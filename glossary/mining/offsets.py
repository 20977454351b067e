"""Offset maps: where each character of a cleaned text came from.

Cleanup deletes, inserts and replaces, yet evidence must point into the text
as the reader decoded it. Every rewrite records its kept runs and its
replacements as anchors; a position in the output is mapped back with one
binary search per rewrite. Storage grows with the number of edits, not with
the length of the text, so a 20 MB file costs no per-character table.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable

__all__ = ["OffsetMap", "Rewriter", "rewrite"]

COPY = -1


class OffsetMap:
    """Map positions of a rewritten text back to the text it was made from."""

    def __init__(self) -> None:
        self._new = array("q")
        self._old = array("q")
        self._old_end = array("q")  # COPY for a kept run, else the end of the replaced span

    def add_copy(self, new: int, old: int, length: int) -> None:
        """Record that ``length`` characters at ``old`` were kept at ``new``."""
        if length <= 0:
            return
        if self._new and self._old_end[-1] == COPY:
            last_new, last_old = self._new[-1], self._old[-1]
            if new - last_new == old - last_old:  # continues the previous run
                return
        self._new.append(new)
        self._old.append(old)
        self._old_end.append(COPY)

    def add_replacement(self, new: int, old_start: int, old_end: int) -> None:
        """Record that the text at ``new`` replaces ``old_start:old_end``."""
        self._new.append(new)
        self._old.append(old_start)
        self._old_end.append(old_end)

    def to_source(self, pos: int, *, end: bool = False) -> int:
        """The source position of ``pos``; ``end=True`` for an exclusive end offset."""
        if end:
            if pos <= 0:
                return 0
            index = bisect_right(self._new, pos - 1) - 1
            if index < 0:
                return pos
            if self._old_end[index] == COPY:
                return self._old[index] + (pos - 1 - self._new[index]) + 1
            return self._old_end[index]
        index = bisect_right(self._new, pos) - 1
        if index < 0:
            return pos
        if self._old_end[index] == COPY:
            return self._old[index] + (pos - self._new[index])
        return self._old[index]


class Rewriter:
    """Build a new text from a source by keeping runs and replacing spans."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.cursor = 0
        self.map = OffsetMap()

    def keep_until(self, end: int) -> None:
        """Copy the source from the cursor up to ``end``."""
        if end > self.cursor:
            self.map.add_copy(self.length, self.cursor, end - self.cursor)
            self.parts.append(self.source[self.cursor : end])
            self.length += end - self.cursor
            self.cursor = end

    def replace(self, start: int, end: int, text: str) -> None:
        """Replace ``source[start:end]`` (at or after the cursor) by ``text``."""
        self.keep_until(start)
        if text:
            self.map.add_replacement(self.length, start, end)
            self.parts.append(text)
            self.length += len(text)
        self.cursor = max(self.cursor, end)

    def finish(self) -> tuple[str, OffsetMap]:
        """The rewritten text and its map back to the source."""
        self.keep_until(len(self.source))
        return "".join(self.parts), self.map


def rewrite(
    text: str, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str | None]
) -> tuple[str, OffsetMap]:
    """Apply ``replacement`` to each match (``None`` keeps the match as it is)."""
    writer = Rewriter(text)
    for match in pattern.finditer(text):
        new = replacement(match)
        if new is not None and new != match.group(0):
            writer.replace(match.start(), match.end(), new)
    return writer.finish()
