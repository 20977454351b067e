"""The plain glossary data every codec reads and writes, and its error type.

A glossary is a dict of builtins (see ``empty_glossary`` and the module
docstring of ``glossary.formats``). Codecs only ever build these dicts through
the helpers here so that every reader fills the fields it cannot know with the
same defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FORMAT_NAME = "zh-en-glossary"
FORMAT_VERSION = 1
LANGS = ("zh", "en")
KINDS = ("full", "abbreviation", "variant")
TERM_STATUSES = ("preferred", "admitted", "deprecated")
CONCEPT_STATUSES = ("approved", "draft")

Glossary = dict[str, Any]
Concept = dict[str, Any]
Term = dict[str, Any]


class FormatError(ValueError):
    """A file that cannot be read as a glossary; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class ParsedGlossary:
    """What a reader returns: the plain glossary and where each concept came from.

    ``lines[i]`` is the 1-based line of ``data["concepts"][i]`` in the file (for
    XML the line of its entry element), or None where the reader cannot tell.
    """

    data: Glossary
    lines: list[int | None]
    format: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def concepts(self) -> list[Concept]:
        """The concepts, in file order."""
        return self.data["concepts"]

    def located(self) -> Iterator[tuple[int | None, Concept]]:
        """Yield ``(line, concept)`` pairs for an import report."""
        yield from zip(self.lines, self.concepts, strict=True)


def empty_glossary(exported_at: str | None = None) -> Glossary:
    """A glossary with no sources and no concepts."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at,
        "sources": [],
        "concepts": [],
    }


def make_concept(
    *,
    id: int | None = None,
    domain: str | None = None,
    definition: str | None = None,
    note: str | None = None,
    status: str | None = None,
) -> Concept:
    """A concept with no terms yet; ``status`` None means the file did not say."""
    return {
        "id": id,
        "domain": domain,
        "definition": definition,
        "note": note,
        "status": status,
        "terms": [],
        "evidence": [],
    }


def make_term(
    lang: str,
    text: str,
    kind: str = "full",
    status: str = "preferred",
    *,
    count: int = 0,
    zh_hant: str | None = None,
    pinyin: str | None = None,
) -> Term:
    """A term; only Chinese terms carry ``zh_hant`` and ``pinyin``."""
    term: Term = {"lang": lang, "text": text, "kind": kind, "status": status, "count": count}
    if lang == "zh":
        term["zh_hant"] = zh_hant
        term["pinyin"] = pinyin
    return term


def make_source(
    key: str | None, filename: str, title: str | None = None, imported_at: str | None = None
) -> dict[str, Any]:
    """A corpus source; ``key`` is None when the file only carried its name."""
    return {"key": key, "filename": filename, "title": title, "imported_at": imported_at}


def blank_to_none(value: str | None) -> str | None:
    """Strip a text field and turn an empty one into None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


VALUE_SEPARATOR = " | "
_ESCAPABLE = "\\|"  # the characters a backslash escapes


def join_values(values: list[str]) -> str:
    """Join several values (terms) into one cell with " | ", escaping ``\\`` and ``|`` inside them.

    ``split_values`` reverses it exactly, so a term such as ``CD4|CD8`` survives
    a CSV or OmegaT round trip; a backslash before anything else stays as it is.
    """
    return VALUE_SEPARATOR.join(value.replace("\\", "\\\\").replace("|", "\\|") for value in values)


def split_values(cell: str) -> list[str]:
    """The values of a cell written by ``join_values``, stripped (empty ones kept, in place)."""
    values: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(cell):
        char = cell[index]
        if char == "\\" and index + 1 < len(cell) and cell[index + 1] in _ESCAPABLE:
            current.append(cell[index + 1])
            index += 2
            continue
        if char == "|":
            values.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    values.append("".join(current).strip())
    return values
