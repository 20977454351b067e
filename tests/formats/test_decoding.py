"""Encodings and inputs that are not glossaries at all."""

from __future__ import annotations

import random

import pytest

from glossary.formats import FormatError, parse_glossary

CSV_TEXT = "编号,中文,英文,缩写,领域\n1,催产素,oxytocin,OT,神经内分泌学\n2,下丘脑-垂体-肾上腺轴,HPA axis,HPA,应激\n"


def test_gb18030_csv_imports_correctly():
    parsed = parse_glossary(CSV_TEXT.encode("gb18030"))
    assert parsed.encoding == "gb18030"
    assert [t["text"] for t in parsed.concepts[1]["terms"]] == ["下丘脑-垂体-肾上腺轴", "HPA axis", "HPA"]
    assert parsed.concepts[0]["domain"] == "神经内分泌学"


def test_gb18030_characters_outside_gbk_survive():
    text = "zh,en\n㐀䶵𠀀,rare\n催产素,oxytocin\n"  # extension A and B ideographs need GB18030 proper
    parsed = parse_glossary(text.encode("gb18030"))
    assert parsed.concepts[0]["terms"][0]["text"] == "㐀䶵𠀀"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_unicode_encodings(encoding):
    raw = CSV_TEXT.encode(encoding)
    if encoding == "utf-16-le":
        raw = b"\xff\xfe" + raw
    parsed = parse_glossary(raw)
    assert parsed.concepts[0]["terms"][0]["text"] == "催产素"


@pytest.mark.parametrize("raw", [b"", b"   \n\r\n\t", "\ufeff".encode("utf-8"), "\ufeff\n".encode("utf-16")])
def test_empty_files(raw):
    with pytest.raises(FormatError, match="the file is empty"):
        parse_glossary(raw)


@pytest.mark.parametrize(
    "raw",
    [
        random.Random(6).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00" + random.Random(7).randbytes(500),
    ],
)
def test_binary_garbage_is_refused(raw):
    with pytest.raises(FormatError, match="not text"):
        parse_glossary(raw)


def test_formats_are_sniffed(sample):
    from glossary.formats import export_glossary

    for fmt in ("tbx", "tbx3", "csv", "tsv", "json"):
        assert parse_glossary(export_glossary(sample, fmt)).format == fmt


def test_format_names_and_aliases():
    from glossary.formats import normalize_format

    assert normalize_format("TBX2008") == "tbx" and normalize_format("omegat") == "tsv"
    assert normalize_format(".json") == "json" and normalize_format("tbx-v3") == "tbx3"
    assert normalize_format("XLSX") == "xlsx" and normalize_format("excel") == "xlsx"
    with pytest.raises(FormatError, match="unknown format 'docx'"):
        normalize_format("docx")
