"""XLSX export: the CSV layout (``tabular``) as an Excel workbook, for Excel and LibreOffice Calc.

A workbook carries its text as Unicode, so Chinese opens correctly whatever a
spreadsheet's import settings (LibreOffice's default CSV import ignores the
CSV's byte-order mark and garbles it), and every cell is stored as text, so
nothing is run as a formula and no guarding apostrophe shows. Columns, cell
contents and the " | " joining are the CSV's; CSV stays the format for scripts.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from glossary.formats.plain import Glossary
from glossary.formats.tabular import COLUMNS, concept_row

SHEET_TITLE = "glossary"
# Column widths in characters: wide enough to read a term, capped for long definitions.
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def write_xlsx(data: Glossary) -> bytes:
    """Serialize a plain glossary as a one-sheet XLSX workbook with the CSV's columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in COLUMNS]
    for concept in data.get("concepts") or []:
        row = concept_row(concept)
        values = [_cell_text(row.get(name, "")) for name in COLUMNS]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _display_width(value))
    for cell in (cell for row in sheet.iter_rows(min_row=2) for cell in row):
        # openpyxl takes a string that starts with "=" for a formula; every cell here is text.
        if cell.value is not None:
            cell.data_type = TYPE_STRING
            cell.alignment = Alignment(vertical="top", wrap_text=False)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value: str) -> str | None:
    # XML 1.0 cannot carry control characters; a stray one must not sink the export.
    text = "".join(char for char in value if char >= " " or char in "\t\n\r")
    return text or None


def _display_width(text: str | None) -> int:
    """Roughly how many columns a text needs: a Chinese character takes two."""
    if not text:
        return 0
    return sum(2 if "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef" else 1 for char in text)
