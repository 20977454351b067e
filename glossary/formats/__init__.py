"""Interchange codecs: glossary files ⇄ plain data, without flask or a database.

The plain data is a dict of builtins::

    {"format": "zh-en-glossary", "version": 1, "exported_at": "2026-11-22T10:00:00Z",
     "sources": [{"key": sha256 hex, "filename", "title", "imported_at"}],
     "concepts": [{"id", "domain", "definition", "note", "status": "approved" | "draft",
                   "terms": [{"lang": "zh" | "en", "text", "kind": "full" | "abbreviation" | "variant",
                              "status": "preferred" | "admitted" | "deprecated", "count",
                              "zh_hant", "pinyin"}],   # the last two on Chinese terms only
                   "evidence": [{"source": source key, "term", "sentence", "start", "end"}]}]}

``export_glossary(data, fmt)`` writes it as bytes; ``parse_glossary(raw)``
reads bytes (UTF-8 with or without BOM, UTF-16, GB18030), sniffs the format
when none is given and returns a ``ParsedGlossary`` with the concept line
numbers, or raises ``FormatError`` with a message fit for a person.

Formats: ``tbx`` (TBX-Basic, ISO 30042:2008), ``tbx3`` (TBX-Basic in TBX v3,
ISO 30042:2019), ``csv`` (one row per concept, see ``tabular``), ``xlsx`` (the
same table as an Excel workbook; export only), ``tsv`` (an OmegaT glossary; on
import a TSV with a header row is read as a table) and ``json`` (full fidelity).
Readers return what the file can carry: concept ``status`` is None where a
format has no such field (TBX, OmegaT), term ``count`` is 0, and evidence from TBX names its source by file name, with
``key`` None in ``sources``.
"""

from __future__ import annotations

from dataclasses import dataclass

from glossary.formats.decoding import decode_text
from glossary.formats.jsonfmt import read_json, write_json
from glossary.formats.omegat import DIRECTIONS, read_omegat, write_omegat
from glossary.formats.plain import (
    FORMAT_NAME,
    FORMAT_VERSION,
    FormatError,
    Glossary,
    ParsedGlossary,
    empty_glossary,
)
from glossary.formats.tabular import COLUMNS, looks_like_header, parse_mapping, read_tabular, write_csv
from glossary.formats.tbx import XCS_FILE, ZH_TAGS, write_tbx
from glossary.formats.tbx_reader import read_tbx
from glossary.formats.xlsx import write_xlsx

__all__ = [
    "COLUMNS",
    "DIRECTIONS",
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "XCS_FILE",
    "ZH_TAGS",
    "FormatError",
    "FormatInfo",
    "ParsedGlossary",
    "empty_glossary",
    "export_glossary",
    "normalize_format",
    "parse_glossary",
    "parse_mapping",
    "sniff_format",
]


@dataclass(frozen=True)
class FormatInfo:
    """What a download of one format is called and served as."""

    name: str
    label: str
    extension: str
    media_type: str


FORMATS = {
    "tbx": FormatInfo("tbx", "TBX-Basic (ISO 30042:2008)", "tbx", "application/x-tbx"),
    "tbx3": FormatInfo("tbx3", "TBX-Basic, TBX v3 (ISO 30042:2019)", "tbx", "application/x-tbx"),
    "csv": FormatInfo("csv", "CSV table (UTF-8), for scripts", "csv", "text/csv; charset=utf-8"),
    "xlsx": FormatInfo(
        "xlsx",
        "Excel workbook (XLSX), for Excel and LibreOffice",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "tsv": FormatInfo("tsv", "OmegaT glossary (tab-separated)", "txt", "text/tab-separated-values; charset=utf-8"),
    "json": FormatInfo("json", "JSON (complete backup)", "json", "application/json"),
}
_ALIASES = {
    "tbx2008": "tbx", "tbx-basic": "tbx", "tbx2": "tbx", "martif": "tbx",
    "tbx2019": "tbx3", "tbxv3": "tbx3", "tbx-v3": "tbx3",
    "omegat": "tsv", "tab": "tsv", "txt": "tsv", "utf8": "tsv", "excel": "xlsx",
}  # fmt: skip


_ZIP_MAGIC = b"PK\x03\x04"


def normalize_format(fmt: str) -> str:
    """The canonical name of a format or one of its aliases; FormatError if unknown."""
    name = fmt.strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")
    return name


def export_glossary(
    data: Glossary, fmt: str, direction: str | None = None, *, zh_tags: str = "script", doctype: bool = False
) -> bytes:
    """Serialize a plain glossary.

    ``direction`` (zh-en or en-zh) applies to ``tsv`` only; ``zh_tags`` ("script":
    zh-Hans/zh-Hant, or "region": zh-CN/zh-TW) to the TBX editions, the only
    formats with language tags; ``doctype`` to TBX 2008 (see ``tbx``).
    """
    name = normalize_format(fmt)
    if zh_tags not in ZH_TAGS:
        raise FormatError(f"Chinese language tags must be {' or '.join(ZH_TAGS)}, not {zh_tags!r}")
    if name in ("tbx", "tbx3"):
        return write_tbx(data, name, zh_tags=zh_tags, doctype=doctype)
    if name == "csv":
        return write_csv(data)
    if name == "xlsx":
        return write_xlsx(data)
    if name == "tsv":
        if direction is not None and direction not in DIRECTIONS:
            raise FormatError(f"direction must be zh-en or en-zh, not {direction!r}")
        return write_omegat(data, direction or "zh-en")
    return write_json(data)


def parse_glossary(
    raw: bytes,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    direction: str | None = None,
) -> ParsedGlossary:
    """Decode and parse a glossary file.

    ``fmt`` None sniffs the format from the content. ``mapping`` maps field names
    (zh, en, abbr, domain…) to column headers of a CSV/TSV file. ``direction``
    says which column of an OmegaT glossary is Chinese; None guesses.
    """
    if (fmt and normalize_format(fmt) == "xlsx") or raw.startswith(_ZIP_MAGIC):
        raise FormatError(
            "the file is not text but a zip archive such as an XLSX workbook: XLSX is an export format only; "
            "save the sheet as CSV UTF-8 and import that"
        )
    text, encoding = decode_text(raw)
    name = normalize_format(fmt) if fmt else sniff_format(text, mapping)
    if name in ("tbx", "tbx3"):
        parsed = read_tbx(text)
    elif name == "json":
        parsed = read_json(text)
    elif name == "tsv" and (mapping or looks_like_header(text, "\t")):
        parsed = read_tabular(text, mapping, "\t")
    elif name == "tsv":
        parsed = read_omegat(text, direction)
    else:
        parsed = read_tabular(text, mapping)
    parsed.encoding = encoding
    return parsed


def sniff_format(text: str, mapping: dict[str, str] | None = None) -> str:
    """Guess a format from decoded text: "tbx", "json", "tsv" (OmegaT) or "csv"."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("<"):
        return "tbx"
    if start.startswith(("{", "[")):
        return "json"
    if mapping:
        return "csv"
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    if start.startswith("#") or ("\t" in first and not looks_like_header(text, "\t")):
        return "tsv"
    return "csv"
