"""CSV export and CSV/TSV import, one row per concept.

The export is UTF-8 with a BOM (so Excel opens Chinese correctly), comma
separated, CRLF line ends, with these columns::

    id, zh, zh_hant, pinyin, en, abbr, zh_synonyms, en_synonyms,
    zh_variants, en_variants, zh_deprecated, en_deprecated,
    domain, definition, note, status

* A term column holds the terms of one language and status, joined with
  " | " (a ``|`` inside a term is written ``\\|``, a backslash ``\\\\``; see
  ``plain.join_values``): ``zh``/``en`` preferred terms, ``abbr`` preferred English
  abbreviations, ``*_synonyms`` admitted terms, ``*_variants`` admitted
  variants, ``*_deprecated`` deprecated terms.
* A term whose kind is not its column's (an admitted abbreviation sits in
  ``en_synonyms``, a deprecated variant in ``zh_deprecated``) carries it as a
  suffix: ``ACTH [abbreviation]``, ``催產素 [variant]``.
* ``zh_hant`` and ``pinyin`` hold one entry per Chinese term of the row, in the
  order of the Chinese columns (zh, zh_synonyms, zh_variants, zh_deprecated),
  joined with " | "; an empty entry means unknown.
* ``status`` is the concept's: approved or draft.
* A cell that starts with = + - or @ is written with a leading apostrophe so
  that spreadsheets do not run it as a formula; the reader removes it.

Import reads that layout, or any CSV/TSV whose header names the columns
(English or Chinese names, see ``HEADER_ALIASES``), or a ``mapping`` from our
field names to the file's headers such as ``{"zh": "Chinese", "en": "English",
"abbr": "Abbrev"}``. The delimiter (comma, tab, semicolon) is sniffed from the
header line. In files that are not in our layout, term cells are also split on
";" and "；".
"""

from __future__ import annotations

import csv
import io
import re

from glossary.formats.plain import (
    CONCEPT_STATUSES,
    Concept,
    FormatError,
    Glossary,
    ParsedGlossary,
    Term,
    blank_to_none,
    empty_glossary,
    join_values,
    make_concept,
    make_term,
    split_values,
)

COLUMNS = (
    "id", "zh", "zh_hant", "pinyin", "en", "abbr", "zh_synonyms", "en_synonyms",
    "zh_variants", "en_variants", "zh_deprecated", "en_deprecated",
    "domain", "definition", "note", "status",
)  # fmt: skip
TERM_COLUMNS = {
    "zh": ("zh", "full", "preferred"),
    "en": ("en", "full", "preferred"),
    "abbr": ("en", "abbreviation", "preferred"),
    "zh_synonyms": ("zh", "full", "admitted"),
    "en_synonyms": ("en", "full", "admitted"),
    "zh_variants": ("zh", "variant", "admitted"),
    "en_variants": ("en", "variant", "admitted"),
    "zh_deprecated": ("zh", "full", "deprecated"),
    "en_deprecated": ("en", "full", "deprecated"),
}
ZH_COLUMNS = tuple(name for name in COLUMNS if TERM_COLUMNS.get(name, ("",))[0] == "zh")
HEADER_ALIASES = {
    "chinese": "zh", "中文": "zh", "简体": "zh", "简体中文": "zh", "zh_cn": "zh", "zh_hans": "zh",
    "term_zh": "zh", "中文术语": "zh", "术语": "zh",
    "traditional": "zh_hant", "繁体": "zh_hant", "繁體": "zh_hant", "zh_tw": "zh_hant",
    "拼音": "pinyin",
    "english": "en", "英文": "en", "en_us": "en", "en_gb": "en", "term_en": "en",
    "英文术语": "en",
    "abbreviation": "abbr", "abbreviations": "abbr", "abbrev": "abbr", "acronym": "abbr",
    "缩写": "abbr", "縮寫": "abbr", "英文缩写": "abbr",
    "synonyms": "en_synonyms", "同义词": "zh_synonyms", "variants": "en_variants",
    "subject": "domain", "subject_field": "domain", "field": "domain", "领域": "domain",
    "学科": "domain", "定义": "definition", "notes": "note", "comment": "note",
    "comments": "note", "备注": "note", "注释": "note", "状态": "status",
}  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_KIND_SUFFIX = re.compile(r"^(.*?)\s*\[(full|abbreviation|abbr|variant)\]$")


def write_csv(data: Glossary) -> bytes:
    """Serialize a plain glossary as the CSV layout above (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for concept in data.get("concepts") or []:
        row = concept_row(concept)
        writer.writerow([_guard_formula(row.get(name, "")) for name in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _column_for(term: Term) -> tuple[str, str]:
    """The column a term is written to, and the kind suffix it needs there ("" if none)."""
    lang, kind, status = term.get("lang"), term.get("kind", "full"), term.get("status", "preferred")
    same = [name for name, spec in TERM_COLUMNS.items() if spec[0] == lang and spec[2] == status]
    exact = [name for name in same if TERM_COLUMNS[name][1] == kind]
    if exact:
        return exact[0], ""
    fallback = next(name for name in same if TERM_COLUMNS[name][1] == "full")
    return fallback, f" [{kind}]"


def concept_row(concept: Concept) -> dict[str, str]:
    """A concept as the cells of one row, by column name (the CSV and XLSX exports share it)."""
    cells: dict[str, list[str]] = {name: [] for name in TERM_COLUMNS}
    chinese: dict[str, list[Term]] = {name: [] for name in ZH_COLUMNS}
    for term in concept.get("terms") or []:
        if term.get("lang") not in ("zh", "en"):
            continue
        column, suffix = _column_for(term)
        cells[column].append(term["text"] + suffix)
        if column in chinese:
            chinese[column].append(term)
    ordered = [term for name in ZH_COLUMNS for term in chinese[name]]
    row = {name: join_values(values) for name, values in cells.items()}
    for field in ("zh_hant", "pinyin"):
        values = [term.get(field) or "" for term in ordered]
        row[field] = join_values(values) if any(values) else ""
    concept_id = concept.get("id")
    row["id"] = str(concept_id) if concept_id is not None else ""
    for field in ("domain", "definition", "note", "status"):
        row[field] = concept.get(field) or ""
    return row


def _guard_formula(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _unguard_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def parse_mapping(spec: str) -> dict[str, str]:
    """Parse a CLI mapping such as ``zh=Chinese,en=English,abbr=Abbrev``."""
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        field, sep, header = part.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise FormatError(f"bad mapping {part!r}: expected FIELD=Column, e.g. zh=Chinese")
        mapping[field.strip()] = header.strip()
    return mapping


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter from the first non-empty line: tab, comma or semicolon."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in ("\t", ",", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def looks_like_header(text: str, delimiter: str) -> bool:
    """Whether the first line names at least one term column (ours or a known alias)."""
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    return any(_field_for(cell) in TERM_COLUMNS for cell in first.split(delimiter))


def _field_for(header_cell: str) -> str | None:
    normalized = _normalize_header(header_cell)
    return normalized if normalized in COLUMNS else HEADER_ALIASES.get(normalized)


def read_tabular(text: str, mapping: dict[str, str] | None = None, delimiter: str | None = None) -> ParsedGlossary:
    """Parse CSV/TSV text with a header row into a plain glossary with row line numbers."""
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        line = 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"cannot read the file as CSV: {exc}", line=reader.line_num) from exc
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise FormatError("the file has no rows")
    header_line, header = rows[0]
    columns, own_layout, warnings = _resolve_columns(header, mapping, header_line)
    data = empty_glossary()
    parsed = ParsedGlossary(data, [], "csv", warnings=warnings)
    for line, row in rows[1:]:
        if len(row) < len(header) or any(cell.strip() for cell in row[len(header) :]):
            raise FormatError(f"expected {len(header)} cells as in the header, found {len(row)}", line=line)
        cells = {field: _unguard_formula(row[index]) for field, index in columns.items()}
        data["concepts"].append(_row_concept(cells, line, own_layout, parsed.warnings))
        parsed.lines.append(line)
    return parsed


def _normalize_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").lower())


def _resolve_columns(
    header: list[str], mapping: dict[str, str] | None, line: int
) -> tuple[dict[str, int], bool, list[str]]:
    """Map our field names to column indexes; also say whether this is our own layout."""
    positions = {_normalize_header(name): index for index, name in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    warnings: list[str] = []
    if mapping:
        for field, name in mapping.items():
            target = _field_for(field)
            if target is None:
                raise FormatError(f"unknown field {field!r} in the mapping; fields are: {', '.join(COLUMNS)}")
            if _normalize_header(name) not in positions:
                raise FormatError(
                    f"column {name!r} (mapped to {field}) is not in the header; "
                    f"the columns are: {', '.join(cell.strip() for cell in header)}",
                    line=line,
                )
            columns[target] = positions[_normalize_header(name)]
    else:
        for index, name in enumerate(header):
            field = _field_for(name)
            if field is None:
                warnings.append(f"line {line}: column {name.strip()!r} is not used")
            elif field not in columns:
                columns[field] = index
    if not any(field in TERM_COLUMNS for field in columns):
        raise FormatError(
            "no column holds terms: name the columns zh, en, abbr… or give a mapping "
            "such as zh=Chinese,en=English,abbr=Abbrev",
            line=line,
        )
    own_layout = not mapping and {_normalize_header(name) for name in header} <= set(COLUMNS)
    return columns, own_layout, warnings


def _split(cell: str, own_layout: bool) -> list[str]:
    if own_layout:
        return split_values(cell)
    return [item.strip() for item in re.split(r"[|;；]", cell)]


def _row_concept(cells: dict[str, str], line: int, own_layout: bool, warnings: list[str]) -> Concept:
    status = (cells.get("status") or "").strip().lower() or None
    if status is not None and status not in CONCEPT_STATUSES:
        raise FormatError(f"unknown status {status!r} (expected approved or draft)", line=line)
    concept = make_concept(
        id=_row_id(cells.get("id"), line),
        domain=blank_to_none(cells.get("domain")),
        definition=blank_to_none(cells.get("definition")),
        note=blank_to_none(cells.get("note")),
        status=status,
    )
    chinese: list[Term] = []
    for column in (name for name in COLUMNS if name in TERM_COLUMNS):
        lang, kind, term_status = TERM_COLUMNS[column]
        for item in _split(cells.get(column, ""), own_layout):
            if not item:
                continue
            match = _KIND_SUFFIX.match(item)
            text, item_kind = (match.group(1), match.group(2)) if match else (item, kind)
            term = make_term(lang, text, "abbreviation" if item_kind == "abbr" else item_kind, term_status)
            concept["terms"].append(term)
            if lang == "zh":
                chinese.append(term)
    if not concept["terms"]:
        raise FormatError("the row has no term", line=line)
    # Columns were read in COLUMNS order, which is the order zh_hant/pinyin follow.
    for field in ("zh_hant", "pinyin"):
        values = _split(cells.get(field, ""), True) if cells.get(field, "").strip() else []
        if values and len(values) != len(chinese):
            warnings.append(f"line {line}: {field} has {len(values)} entries for {len(chinese)} Chinese terms")
        for term, value in zip(chinese, values, strict=False):
            term[field] = value or None
    return concept


def _row_id(value: str | None, line: int) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"c?(\d{1,18})", value)
    if not match:
        raise FormatError(f"id {value!r} is not a number", line=line)
    return int(match.group(1))
