"""Figure and table legends that list abbreviations: ``ABBR：中文 English；ABBR：中文 English。``

A legend states each pair outright, without brackets: the abbreviation, a
colon, the Chinese name, then the English name. A line counts as a legend only
when it holds at least two such entries, so an ordinary ``结论：…`` sentence is
never read as one. The English must fit its abbreviation, or at least begin
with its letter (``T4：甲状腺素 thyroxine``). Two abbreviations joined by a
slash (``MT1/MT2：受体 1/受体 2 receptor 1/receptor 2``) are two entries when they
form a numbered series, and one entry naming one thing two ways otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .abbreviations import abbreviation_fits, looks_like_abbreviation, shares_initial
from .textforms import GREEK, has_cjk

__all__ = ["LegendEntry", "legend_entries"]

# Entries end at a semicolon, or at a comma when the next abbreviation and colon follow it.
ENTRY_SEPARATOR = re.compile(f"[；;]|[，,](?=\\s*[A-Za-z0-9{GREEK}][A-Za-z0-9{GREEK}\\-/+]*\\s*[:：])")
# The abbreviation stands right before the colon, after anything a converter glued before it.
ENTRY = re.compile(
    f"(?P<abbr>[A-Za-z0-9{GREEK}][A-Za-z0-9{GREEK}\\-/+]*)\\s*[:：]\\s*(?P<body>[^\\n]*?)\\s*[。.]?\\s*$"
)
# Glued by the converter: 蛋白激酶Gprotein kinase G — the capital belongs to the Chinese name.
GLUED_CAPITAL = re.compile(r"^([A-Z0-9]{1,2})([a-z]{3,}.*)$", re.DOTALL)
# Tokens after the last Han character with no English word in them: 受体 2, 激酶 G, 介素-2.
CHINESE_NAME_TAIL = re.compile(r"(?:\s*(?![^\s]*[A-Za-z]{2})[^\s]+)*")
SERIES_TAIL = re.compile(f"[\\s\\-]*[0-9A-Za-z{GREEK}]{{1,3}}$")
MIN_ENTRIES = 2


@dataclass(frozen=True)
class LegendEntry:
    """One pair a legend states; ``start``/``end`` span the entry in the text."""

    start: int
    end: int
    abbr: str
    zh: str
    en: str
    fit: float


def legend_entries(text: str) -> list[LegendEntry]:
    """Every entry of every legend line in a cleaned text."""
    entries: list[LegendEntry] = []
    for line in re.finditer(r"[^\n]+", text):
        found = _line_entries(line.group(0), line.start())
        if len(found) >= MIN_ENTRIES:
            entries.extend(entry for group in found for entry in group)
    return entries


def _line_entries(line: str, offset: int) -> list[list[LegendEntry]]:
    """The entries of one line, one list per ``ABBR：…`` segment that reads as an entry."""
    found: list[list[LegendEntry]] = []
    position = 0
    for index, segment in enumerate(ENTRY_SEPARATOR.split(line)):
        start = position
        position += len(segment) + 1
        match = ENTRY.search(segment)
        if not match:
            continue
        # After the first entry, a segment is an entry from its very start; before it,
        # the converter may have glued other text (an image, a diagram's labels).
        if found and segment[: match.start()].strip():
            continue
        if not found and index and segment[: match.start()].strip():
            continue
        entries = _read_entry(match.group("abbr"), match.group("body"))
        if entries:
            span = (offset + start + match.start(), offset + start + match.end())
            found.append([LegendEntry(span[0], span[1], abbr, zh, en, fit) for abbr, zh, en, fit in entries])
    return found


def _read_entry(abbr: str, body: str) -> list[tuple[str, str, str, float]]:
    """(abbr, zh, en, fit) read from ``中文 English`` after ``ABBR：``; [] when it is no entry."""
    if not looks_like_abbreviation(abbr.split("/")[0]):
        return []
    split = _split_chinese_english(abbr, body)
    if split is None:
        return []
    zh, en = split
    series = _series(abbr, zh, en)
    if series:
        return series
    fit = _fit(abbr, en)
    return [(abbr, zh, en, fit)] if fit is not None else []


def _split_chinese_english(abbr: str, body: str) -> tuple[str, str] | None:
    """``蛋白激酶 G protein kinase G`` → (``蛋白激酶 G``, ``protein kinase G``).

    The English starts after the last Han character, past any number, letter or
    Greek letter that still belongs to the Chinese name (``受体 2``, ``蛋白激酶 G``).
    """
    last_han = max((i for i, char in enumerate(body) if has_cjk(char)), default=-1)
    if last_han < 0:
        return None
    zh, tail = body[: last_han + 1], body[last_han + 1 :]
    rest_of_name = CHINESE_NAME_TAIL.match(tail)
    cut = rest_of_name.end() if rest_of_name else 0
    zh, en = zh + tail[:cut], tail[cut:].strip()
    glued = GLUED_CAPITAL.match(en)
    if glued and _fit(abbr, en) is None and _fit(abbr, glued.group(2)) is not None:
        zh, en = zh + glued.group(1), glued.group(2)
    zh = zh.strip()
    if not en or not re.search("[A-Za-z]{2,}", en) or has_cjk(en) or not has_cjk(zh):
        return None
    return zh, en


def _fit(abbr: str, en: str) -> float | None:
    """How well ``abbr`` fits ``en``; a legend's explicit pairing also accepts a shared first letter."""
    fit = abbreviation_fits(abbr, en)
    if fit:
        return fit
    return 0.5 if shares_initial(abbr, en) else None


def _series(abbr: str, zh: str, en: str) -> list[tuple[str, str, str, float]]:
    """``MT1/MT2：受体 1/受体 2 receptor 1/receptor 2`` → two entries, when all three split alike."""
    parts = [side.split("/") for side in (abbr, zh, en)]
    if len({len(side) for side in parts}) != 1 or len(parts[0]) < 2:
        return []
    for side in parts[1:]:
        stems = {SERIES_TAIL.sub("", part).strip() for part in side}
        if len(stems) != 1:
            return []  # ER/PR：雌激素受体/孕激素受体 — two different names stay one entry
    entries = []
    for short, chinese, english in zip(*parts, strict=True):
        fit = _fit(short, english)
        if fit is None:
            return []
        entries.append((short, chinese.strip(), english.strip(), fit))
    return entries
