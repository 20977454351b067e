"""JSON: the full-fidelity backup format."""

from __future__ import annotations

import json

import pytest

from glossary.formats import FormatError, export_glossary, parse_glossary


def test_round_trip_gives_the_identical_dict(sample):
    raw = export_glossary(sample, "json")
    parsed = parse_glossary(raw, "json")
    assert parsed.data == sample
    assert export_glossary(parsed.data, "json") == raw


def test_export_is_pretty_utf8_without_escapes(sample):
    text = export_glossary(sample, "json").decode("utf-8")
    assert "催产素" in text and "\\u" not in text
    assert text.startswith('{\n  "format": "zh-en-glossary"')


def test_concept_lines_point_at_the_opening_brace(sample):
    raw = export_glossary(sample, "json")
    lines = raw.decode().splitlines()
    parsed = parse_glossary(raw)
    assert parsed.format == "json"
    for line, concept in parsed.located():
        assert lines[line - 1].strip() == "{"
        assert f'"id": {json.dumps(concept["id"])}' in lines[line]


def test_missing_optional_fields_get_defaults():
    raw = json.dumps({"concepts": [{"terms": [{"lang": "zh", "text": "催产素"}, {"lang": "en", "text": "OT"}]}]})
    concept = parse_glossary(raw.encode()).concepts[0]
    assert concept["status"] is None and concept["evidence"] == [] and concept["id"] is None
    assert concept["terms"][0] == {
        "lang": "zh", "text": "催产素", "kind": "full", "status": "preferred", "count": 0,
        "zh_hant": None, "pinyin": None,
    }  # fmt: skip
    assert "zh_hant" not in concept["terms"][1]


def test_syntax_error_reports_its_line():
    with pytest.raises(FormatError) as caught:
        parse_glossary(b'{\n  "concepts": [\n    {"terms": []},,\n  ]\n}', "json")
    assert caught.value.line == 3
    assert "not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["concepts"][2]["terms"][1].update(status="prefered"), "concepts[2].terms[1].status: 'prefered'"),
        (lambda d: d["concepts"][0]["terms"][0].update(lang="fr"), "concepts[0].terms[0].lang"),
        (lambda d: d["concepts"][1].update(status="published"), "concepts[1].status"),
        (lambda d: d["concepts"][1]["terms"].clear(), "concepts[1]: the concept has no terms"),
        (lambda d: d["concepts"][0]["terms"][2].update(count="5"), "terms[2].count: expected a whole number"),
        (lambda d: d["concepts"][0]["evidence"][0].update(source="f00"), "'f00' is not the key of any source"),
        (lambda d: d["concepts"][3].update(id=True), "concepts[3].id"),
        (lambda d: d["sources"][0].pop("filename"), "sources[0].filename"),
    ],
)
def test_structure_errors_name_the_field_and_line(sample, edit, message):
    edit(sample)
    raw = export_glossary(sample, "json")
    with pytest.raises(FormatError) as caught:
        parse_glossary(raw, "json")
    assert message in str(caught.value)
    if "concepts[" in message:
        assert caught.value.line is not None
        assert raw.decode().splitlines()[caught.value.line - 1].strip() == "{"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[1, 2]", '"concepts" list'),
        ('{"format": "other", "concepts": []}', "not a glossary export"),
        ('{"version": 2, "concepts": []}', "version 2 is not supported"),
        ('{"concepts": {}}', '"concepts" list'),
    ],
)
def test_documents_that_are_not_glossaries(document, message):
    with pytest.raises(FormatError, match=message):
        parse_glossary(document.encode(), "json")


@pytest.mark.parametrize("indent", [None, 0, 2, "\t"])
def test_the_fast_reader_finds_the_lines_the_slow_one_does(sample, indent):
    """Concepts read with the C decoder start on the lines the position-tracking scanner says."""
    from glossary.formats.jsonfmt import _decode_fast, _decode_slow

    text = (
        json.dumps(
            {"sources": sample["sources"], "concepts": sample["concepts"], "format": sample["format"]},
            ensure_ascii=False,
            indent=indent,
        )
        + "\n"
    )
    fast, slow = _decode_fast(text), _decode_slow(text)
    assert fast == slow and fast[1]


@pytest.mark.parametrize(
    "document",
    ['{"concepts": [{"terms": []},]}', '{"concepts": [] "x": 1}', '{"concepts": []} []', "{'concepts': []}", ""],
)
def test_what_the_fast_reader_does_not_expect_is_told_by_the_standard_library(document):
    with pytest.raises(FormatError) as caught:
        parse_glossary(document.encode() or b" ", "json")
    assert "JSON" in str(caught.value) or "empty" in str(caught.value)
