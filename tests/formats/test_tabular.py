"""CSV export and CSV/TSV import with column mappings."""

from __future__ import annotations

import csv
import io
import re

import pytest

from glossary.formats import COLUMNS, FormatError, export_glossary, parse_glossary, parse_mapping
from tests.formats.conftest import term_signature


def rows_of(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_export_is_utf8_with_bom_one_row_per_concept(sample):
    raw = export_glossary(sample, "csv")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = rows_of(raw)
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(sample["concepts"])
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["zh"] == "催产素" and first["en"] == "oxytocin" and first["zh_synonyms"] == "缩宫素"
    assert first["zh_hant"] == "催產素 | 縮宮素" and first["en_deprecated"] == "Pitocin"
    assert first["en_synonyms"] == "OT [abbreviation]" and first["en_variants"] == "ocytocin"
    serotonin = dict(zip(COLUMNS, rows[3], strict=True))
    assert serotonin["zh"] == "5-羟色胺 | 5羟色胺 [variant]" and serotonin["abbr"] == "5-HT"
    assert serotonin["en_deprecated"] == "5HT [abbreviation]"


def test_cells_that_spreadsheets_would_run_as_formulas_are_quoted(sample):
    rows = rows_of(export_glossary(sample, "csv"))
    nf = dict(zip(COLUMNS, rows[4], strict=True))
    assert nf["note"].startswith("'=HYPERLINK") and nf["en_variants"].startswith("'-OH")


def test_round_trip_keeps_every_term_kind_status_and_concept_field(sample):
    parsed = parse_glossary(export_glossary(sample, "csv"))
    assert parsed.format == "csv" and parsed.encoding == "utf-8-sig" and not parsed.warnings
    assert parsed.lines == [2, 3, 4, 5, 6]
    for original, read in zip(sample["concepts"], parsed.concepts, strict=True):
        assert term_signature(read) == term_signature(original)
        for field in ("id", "domain", "definition", "note", "status"):
            assert read[field] == original[field]
        pinyin = {t["text"]: t["pinyin"] for t in original["terms"] if t["lang"] == "zh"}
        assert {t["text"]: t["pinyin"] for t in read["terms"] if t["lang"] == "zh"} == pinyin


def test_generic_csv_with_a_mapping_and_semicolon_lists():
    raw = "Chinese,English,Abbrev,Comment\n催产素,oxytocin; ocytocin,OT,hormone\n5-羟色胺,serotonin,5-HT,\n"
    parsed = parse_glossary(raw.encode(), mapping={"zh": "Chinese", "en": "English", "abbr": "Abbrev"})
    assert parsed.format == "csv"
    assert [(t["lang"], t["text"], t["kind"], t["status"]) for t in parsed.concepts[0]["terms"]] == [
        ("zh", "催产素", "full", "preferred"),
        ("en", "oxytocin", "full", "preferred"),
        ("en", "ocytocin", "full", "preferred"),
        ("en", "OT", "abbreviation", "preferred"),
    ]
    assert parsed.concepts[0]["note"] is None, "unmapped columns are not read"


def test_generic_tsv_with_known_header_names_needs_no_mapping():
    raw = "中文\t英文\t缩写\t领域\n催产素\toxytocin\tOT\t神经内分泌\n"
    parsed = parse_glossary(raw.encode(), "tsv")
    concept = parsed.concepts[0]
    assert concept["domain"] == "神经内分泌"
    assert [(t["lang"], t["text"], t["kind"]) for t in concept["terms"]] == [
        ("zh", "催产素", "full"), ("en", "oxytocin", "full"), ("en", "OT", "abbreviation"),
    ]  # fmt: skip


def test_semicolon_delimited_file_is_sniffed():
    parsed = parse_glossary("zh;en;abbr\n催产素;oxytocin;OT\n".encode())
    assert [t["text"] for t in parsed.concepts[0]["terms"]] == ["催产素", "oxytocin", "OT"]


def test_parse_mapping():
    assert parse_mapping("zh=Chinese, en=English,abbr=Abbrev") == {"zh": "Chinese", "en": "English", "abbr": "Abbrev"}
    with pytest.raises(FormatError, match="expected FIELD=Column"):
        parse_mapping("zh")


def test_row_with_wrong_number_of_cells_names_its_line():
    raw = 'zh,en,definition\n催产素,oxytocin,"two\nlines"\n5-羟色胺,serotonin\n'
    with pytest.raises(FormatError) as caught:
        parse_glossary(raw.encode())
    assert caught.value.line == 4
    assert str(caught.value) == "line 4: expected 3 cells as in the header, found 2"


def test_unknown_status_names_its_line():
    raw = "zh,en,status\n催产素,oxytocin,approved\n5-羟色胺,serotonin,aproved\n"
    with pytest.raises(FormatError, match=r"^line 3: unknown status 'aproved'"):
        parse_glossary(raw.encode())


@pytest.mark.parametrize(
    ("raw", "mapping", "message"),
    [
        ("Chinese,English\n催产素,oxytocin\n", {"zh": "中文"}, "column '中文' (mapped to zh) is not in the header"),
        ("Chinese,English\n催产素,oxytocin\n", {"chinese_term": "Chinese"}, "unknown field 'chinese_term'"),
        ("Name,Value\na,b\n", None, "no column holds terms"),
        ("zh,en,id\n催产素,oxytocin,twelve\n", None, "line 2: id 'twelve' is not a number"),
        ("zh,en,domain\n,,biology\n", None, "line 2: the row has no term"),
    ],
)
def test_bad_tables(raw, mapping, message):
    with pytest.raises(FormatError, match=re.escape(message)):
        parse_glossary(raw.encode(), mapping=mapping)


def test_blank_rows_are_skipped_and_lines_still_count():
    parsed = parse_glossary("zh,en\n\n催产素,oxytocin\n, \n5-羟色胺,serotonin\n".encode())
    assert parsed.lines == [3, 5]


def test_mismatched_traditional_list_is_a_warning_not_an_error():
    parsed = parse_glossary("zh,zh_hant,en\n催产素 | 缩宫素,催產素,oxytocin\n".encode())
    assert parsed.concepts[0]["terms"][0]["zh_hant"] == "催產素"
    assert parsed.concepts[0]["terms"][1]["zh_hant"] is None
    assert parsed.warnings == ["line 2: zh_hant has 1 entries for 2 Chinese terms"]
