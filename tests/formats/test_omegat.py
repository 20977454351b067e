"""OmegaT glossary export, checked by reading it the way OmegaT documents and does."""

from __future__ import annotations

import re

import pytest

from glossary.formats import FormatError, export_glossary, parse_glossary


def read_like_omegat(raw: bytes) -> list[tuple[str, str, str]]:
    """OmegaT's TSV glossary reading: encoding from the first-line coding comment,
    '#' lines skipped, tab split, cells trimmed, at least two cells and a source."""
    first_line = raw.split(b"\n", 1)[0].decode("ascii", errors="replace")
    coding = re.search(r"-\*-\s*coding:\s*([\w-]+)\s*-\*-", first_line)
    text = raw.decode(coding.group(1) if coding else "utf-8")
    text = text.removeprefix("\ufeff")
    entries = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        while cells and cells[-1] == "":  # Java's String.split drops trailing empty strings
            cells.pop()
        if len(cells) < 2 or not cells[0]:
            continue
        entries.append((cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return entries


def test_export_is_utf8_with_three_tab_separated_columns(sample):
    raw = export_glossary(sample, "tsv")
    text = raw.decode("utf-8")  # strict: raises if not UTF-8
    lines = text.splitlines()
    assert lines[0].startswith("#") and "coding: utf-8" in lines[0]
    for line in lines[1:]:
        assert line.count("\t") == 2, line
        assert "\r" not in line


def test_zh_en_entries_as_omegat_sees_them(sample):
    entries = read_like_omegat(export_glossary(sample, "tsv", "zh-en"))
    pairs = {(source, target) for source, target, _ in entries}
    assert ("催产素", "oxytocin") in pairs and ("催產素", "oxytocin") in pairs, "traditional sources match too"
    assert ("缩宫素", "oxytocin") in pairs
    assert ("5羟色胺", "serotonin") in pairs and ("血清素", "serotonin") in pairs
    comments = {(s, t): c for s, t, c in entries}
    # A deprecated source term still leads to the right target, and its comment says it is deprecated.
    deprecated = comments[("下丘脑垂体肾上腺轴", "hypothalamic-pituitary-adrenal axis")]
    assert deprecated.startswith("source: variant deprecated")
    assert all(target != "Pitocin" for _, target, _ in entries), "a deprecated term is never offered as target"
    assert not any(source == "tachykinin" or target == "tachykinin" for source, target, _ in entries)
    comment = comments[("催产素", "oxytocin")]
    assert "also: OT [abbreviation admitted] | ocytocin [variant admitted]" in comment
    assert "avoid: Pitocin" in comment and "domain: neuroendocrinology" in comment


def test_en_zh_entries_include_abbreviations(sample):
    entries = read_like_omegat(export_glossary(sample, "tsv", "en-zh"))
    pairs = {(source, target) for source, target, _ in entries}
    assert {("oxytocin", "催产素"), ("OT", "催产素"), ("HPA", "下丘脑-垂体-肾上腺轴"), ("5-HT", "5-羟色胺")} <= pairs
    assert all(target != "下丘脑垂体肾上腺轴" for _, target, _ in entries)


def test_tabs_newlines_and_leading_hash_survive_as_omegat_reads_them(sample):
    sample["concepts"][0]["terms"][0]["text"] = "#催产素"
    sample["concepts"][0]["definition"] = "line one\nline\ttwo"
    raw = export_glossary(sample, "tsv")
    entries = read_like_omegat(raw)
    assert entries[0][0] == "#催产素"
    assert "line one line two" in entries[0][2]


def test_import_groups_lines_by_target_and_recovers_traditional_forms(sample):
    parsed = parse_glossary(export_glossary(sample, "tsv"))
    assert parsed.format == "tsv"
    oxytocin = parsed.concepts[0]
    assert [(t["lang"], t["text"], t["status"], t.get("zh_hant")) for t in oxytocin["terms"]] == [
        ("en", "oxytocin", "preferred", None),
        ("zh", "催产素", "preferred", "催產素"),
        ("zh", "缩宫素", "admitted", "縮宮素"),
        ("en", "OT", "admitted", None),  # the comment's mark says "admitted"
        ("en", "ocytocin", "admitted", None),
        ("en", "Pitocin", "deprecated", None),
    ]
    assert len(parsed.concepts) == 4 and parsed.lines == [2, 6, 9, 14]


def test_import_en_zh_guesses_direction_and_abbreviations(sample):
    parsed = parse_glossary(export_glossary(sample, "tsv", "en-zh"))
    hpa = parsed.concepts[1]
    assert [(t["lang"], t["text"], t["kind"], t["status"]) for t in hpa["terms"]] == [
        ("zh", "下丘脑-垂体-肾上腺轴", "full", "preferred"),
        ("en", "hypothalamic-pituitary-adrenal axis", "full", "preferred"),
        ("en", "HPA", "abbreviation", "preferred"),
        ("zh", "下丘脑垂体肾上腺轴", "variant", "deprecated"),  # "avoid:" in the comment, with its mark
    ]


def test_import_reads_its_own_comments_back_into_fields_and_terms(sample):
    serotonin = parse_glossary(export_glossary(sample, "tsv")).concepts[2]
    assert serotonin["domain"] == "neuroscience" and serotonin["definition"] == "单胺类神经递质。"
    assert serotonin["note"] is None
    english = [(t["text"], t["kind"], t["status"]) for t in serotonin["terms"] if t["lang"] == "en"]
    assert english == [("serotonin", "full", "preferred"), ("5-HT", "abbreviation", "preferred"),
                       ("5HT", "abbreviation", "deprecated")]  # fmt: skip
    nf_kb = parse_glossary(export_glossary(sample, "tsv")).concepts[3]
    assert nf_kb["definition"] == "Transcription factor; see <NF-κB> & \"friends\" 'too'."  # its "; " is no new part
    oxytocin = parse_glossary(export_glossary(sample, "tsv", "en-zh")).concepts[0]
    assert oxytocin["terms"][0]["pinyin"] == "cuī chǎn sù"


def test_any_other_comment_is_the_note():
    raw = "催产素\toxytocin\tseen in the 2019 review\n缩宫素\toxytocin\tabbr is OT\n".encode()
    concept = parse_glossary(raw, "tsv").concepts[0]
    assert concept["note"] == "seen in the 2019 review\nabbr is OT" and concept["domain"] is None
    assert [t["text"] for t in concept["terms"]] == ["oxytocin", "催产素", "缩宫素"]


def test_a_traditional_form_in_taiwan_phrasing_is_not_a_second_term():
    # OpenCC s2twp writes 胺 for 氨 in this name: converting back to simplified does not give the term.
    raw = "S-腺苷甲硫氨酸\tS-adenosylmethionine\t\nS-腺苷甲硫胺酸\tS-adenosylmethionine\t\n".encode()
    terms = parse_glossary(raw, "tsv").concepts[0]["terms"]
    assert [(t["text"], t.get("zh_hant")) for t in terms if t["lang"] == "zh"] == [("S-腺苷甲硫氨酸", "S-腺苷甲硫胺酸")]


def test_line_without_a_tab_is_an_error_with_its_line():
    with pytest.raises(FormatError) as caught:
        parse_glossary("# glossary\n催产素\toxytocin\n5-羟色胺 serotonin\n".encode(), "tsv")
    assert caught.value.line == 3


def test_bad_direction_is_refused(sample):
    with pytest.raises(FormatError, match="direction"):
        export_glossary(sample, "tsv", "zh-fr")
