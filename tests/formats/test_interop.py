"""Issue 17 at the codec level: what other tools need from our files, and round trips without loss."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from lxml import etree

from glossary.formats import COLUMNS, XCS_FILE, FormatError, export_glossary, parse_glossary
from tests.formats.conftest import en, term_signature, zh

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"


def languages_of(raw: bytes) -> set[str]:
    return {node.get(XML_LANG) for node in etree.fromstring(raw).iter() if etree.QName(node).localname
            in ("langSet", "langSec")}  # fmt: skip


def declared_languages() -> set[str]:
    xcs = etree.parse(str(XCS_FILE))
    return {code.text for code in xcs.iter("langCode")}


# Point 2 and 9: Chinese tagged explicitly, by script or by region, and the XCS declares what is used.


@pytest.mark.parametrize("zh_tags, expected", [("script", {"zh-Hans", "zh-Hant", "en"}),
                                               ("region", {"zh-CN", "zh-TW", "en"})])  # fmt: skip
@pytest.mark.parametrize("fmt", ["tbx", "tbx3"])
def test_chinese_is_tagged_explicitly_and_the_xcs_declares_every_language(sample, fmt, zh_tags, expected):
    raw = export_glossary(sample, fmt, zh_tags=zh_tags)
    assert languages_of(raw) == expected
    assert b'xml:lang="zh"' not in raw, "simplified Chinese is never the bare zh"
    assert languages_of(raw) <= declared_languages()
    first = parse_glossary(raw).concepts[0]["terms"][0]  # read back as simplified Chinese with its traditional form
    assert (first["lang"], first["text"], first["zh_hant"]) == ("zh", "催产素", "催產素")


def test_tbx_2008_names_our_xcs_and_has_no_doctype_unless_asked(sample):
    raw = export_glossary(sample, "tbx")
    tree = etree.fromstring(raw)
    assert tree.find("martifHeader/encodingDesc/p[@type='XCSURI']").text == XCS_FILE.name
    assert b"<!DOCTYPE" not in raw
    # A parser that loads DTDs (as Java's does by default) reads it with no DTD at hand.
    etree.fromstring(raw, etree.XMLParser(load_dtd=True, no_network=True, dtd_validation=False))
    with_doctype = export_glossary(sample, "tbx", doctype=True)
    assert with_doctype.splitlines()[1] == b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
    assert export_glossary(sample, "tbx3", doctype=True).count(b"<!DOCTYPE") == 0, "TBX v3 has no DTD"


def test_the_xcs_is_well_formed_and_declares_the_data_categories_the_export_uses(sample):
    xcs = etree.parse(str(XCS_FILE)).getroot()
    assert xcs.tag == "TBXXCS"
    declared = {(spec.tag, spec.get("name")) for spec in xcs.find("datCatSet")}
    used = set()
    for node in etree.fromstring(export_glossary(sample, "tbx")).iter("descrip", "admin", "termNote", "ref"):
        used.add((f"{node.tag}Spec", node.get("type")))
    assert used and used <= declared, used - declared


# Point 3: TBX v3 names its schemas as the official samples do.


def test_tbx_v3_names_its_relaxng_and_schematron_in_xml_model_lines(sample):
    raw = export_glossary(sample, "tbx3")
    root = etree.fromstring(raw)
    models = [node for node in root.itersiblings(preceding=True) if isinstance(node, etree._ProcessingInstruction)]
    assert [node.target for node in models] == ["xml-model", "xml-model"]
    by_type = {node.get("schematypens"): node.get("href") for node in reversed(models)}
    assert by_type[RNG_NS].endswith("/TBXcoreStructV03_TBX-Basic_integrated.rng")
    assert by_type[SCHEMATRON_NS].endswith("/TBX-Basic_DCA.sch")
    assert all(node.get("type") == "application/xml" for node in models)
    assert b"<?xml-model" not in export_glossary(sample, "tbx")


# Point 7: what an import skips is said.


def test_skipped_language_sections_are_counted_per_language():
    entry = """<termEntry><langSet xml:lang="zh-Hans"><tig><term>{zh}</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>{en}</term></tig></langSet>
      <langSet xml:lang="es"><tig><term>{es}</term></tig></langSet>{extra}</termEntry>"""
    body = entry.format(
        zh="雌激素", en="estrogen", es="estrógeno", extra='<langSet xml:lang="zu"><tig><term>x</term></tig></langSet>'
    ) + entry.format(zh="孕酮", en="progesterone", es="progesterona", extra="")
    raw = f'<martif type="TBX-Basic"><text><body>{body}</body></text></martif>'.encode()
    parsed = parse_glossary(raw)
    assert len(parsed.concepts) == 2
    assert parsed.warnings == [
        "2 language sections in 'es' skipped: only Chinese (zh, zh-Hans, zh-Hant…) and English (en…) are imported",
        "1 language section in 'zu' skipped: only Chinese (zh, zh-Hans, zh-Hant…) and English (en…) are imported",
    ]


# Point 8: a "|" (or a backslash) inside a term survives the CSV round trip.


def test_a_pipe_inside_a_term_survives_the_csv_round_trip(sample):
    sample["concepts"][0]["terms"] += [en("CD4|CD8 ratio", status="admitted"), en("a\\|b\\", "variant", "admitted"),
                                       zh("甲|乙", status="deprecated")]  # fmt: skip
    sample["concepts"][0]["terms"][0]["zh_hant"] = "催|產素"
    raw = export_glossary(sample, "csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["en_synonyms"] == "OT [abbreviation] | CD4\\|CD8 ratio"
    back = parse_glossary(raw)
    for before, after in zip(sample["concepts"], back.concepts, strict=True):
        assert term_signature(after) == term_signature(before)
    texts = {term["text"] for term in back.concepts[0]["terms"]}
    assert {"CD4|CD8 ratio", "a\\|b\\", "甲|乙"} <= texts


def test_another_tools_csv_still_splits_on_pipes_and_semicolons():
    raw = "Chinese,English\n催产素；缩宫素,oxytocin | OT\n".encode()
    terms = parse_glossary(raw).concepts[0]["terms"]
    assert [term["text"] for term in terms] == ["催产素", "缩宫素", "oxytocin", "OT"]


# Point 5: OmegaT round trips without loss, and OmegaT's own second translations.


def tricky(sample):
    """The sample with the terms that used to come back changed."""
    hpa = sample["concepts"][1]
    hpa["terms"] += [en("Nrf2", "abbreviation", "admitted"), en("adrenal axis, central", status="admitted"),
                     en("HPA-axis", "variant", "admitted"), en("CRH|ACTH axis", "variant", "deprecated"),
                     zh("下丘脑, 垂体", status="admitted", pinyin="xià qiū nǎo")]  # fmt: skip
    sample["concepts"].append(
        {
            "id": 20,
            "domain": None,
            "definition": None,
            "note": None,
            "status": "approved",
            "terms": [zh("核因子E2相关因子2"), en("Nrf2", "abbreviation")],
            "evidence": [],
        }
    )
    return sample


def full_signature(concept):
    return sorted(
        (
            t["lang"],
            t["text"],
            t["kind"],
            t["status"],
            (t.get("zh_hant") if t.get("zh_hant") != t["text"] else None) or "",
            t.get("pinyin") or "",
        )
        for t in concept["terms"]
    )


@pytest.mark.parametrize("direction", ["zh-en", "en-zh"])
def test_omegat_round_trip_keeps_every_term_kind_status_and_form(sample, direction):
    sample = tricky(sample)
    back = parse_glossary(export_glossary(sample, "tsv", direction), "tsv")
    both = [c for c in sample["concepts"] if {t["lang"] for t in c["terms"]} == {"zh", "en"}]
    assert len(back.concepts) == len(both)
    for before, after in zip(both, back.concepts, strict=True):
        assert full_signature(after) == full_signature(before)
        assert (after["domain"], after["definition"]) == (before["domain"], before["definition"])
    nrf2 = back.concepts[-1]["terms"]
    assert [(t["text"], t["kind"], t["status"]) for t in nrf2 if t["lang"] == "en"] == [
        ("Nrf2", "abbreviation", "preferred")
    ]


def test_omegat_comment_keeps_a_term_with_a_comma_whole(sample):
    sample = tricky(sample)
    lines = export_glossary(sample, "tsv", "zh-en").decode().splitlines()
    comment = next(line for line in lines if line.startswith("下丘脑-垂体-肾上腺轴\t")).split("\t")[2]
    assert "adrenal axis, central" in comment and "CRH\\|ACTH axis [variant deprecated]" in comment


def test_two_translations_of_one_source_written_by_omegat_stay_together():
    # OmegaT appends a new entry at the end of its glossary file, one line per target.
    raw = "催产素\toxytocin\t\n褪黑素\tmelatonin\t\n催产素\tocytocin\tolder spelling\n".encode()
    parsed = parse_glossary(raw, "tsv")
    assert len(parsed.concepts) == 2
    oxytocin = parsed.concepts[0]
    assert [(t["lang"], t["text"], t["status"]) for t in oxytocin["terms"]] == [
        ("en", "oxytocin", "preferred"),
        ("zh", "催产素", "preferred"),
        ("en", "ocytocin", "admitted"),
    ]
    assert oxytocin["note"] == "older spelling"


def test_a_comment_that_only_looks_like_ours_is_a_note():
    raw = "催产素\toxytocin\tsource: Wikipedia\n褪黑素\tmelatonin\tsource: admitted; domain: sleep\n".encode()
    oxytocin, melatonin = parse_glossary(raw, "tsv").concepts
    assert oxytocin["note"] == "source: Wikipedia" and oxytocin["terms"][1]["status"] == "preferred"
    assert melatonin["note"] is None and melatonin["domain"] == "sleep"
    assert melatonin["terms"][1]["status"] == "admitted"


def test_our_own_homonyms_stay_two_concepts(sample):
    sample["concepts"] = [
        {"id": 1, "domain": "a", "definition": None, "note": None, "status": "approved", "evidence": [],
         "terms": [zh("放射"), en("radiation")]},
        {"id": 2, "domain": None, "definition": None, "note": None, "status": "approved", "evidence": [],
         "terms": [zh("放射"), en("irradiation")]},
    ]  # fmt: skip
    back = parse_glossary(export_glossary(sample, "tsv"), "tsv")
    assert [{t["text"] for t in c["terms"]} for c in back.concepts] == [{"放射", "radiation"}, {"放射", "irradiation"}]


# Point 6: the XLSX export opens as text, with the CSV's columns and no formula or apostrophe.


def test_xlsx_has_the_csv_columns_as_text_cells(sample):
    raw = export_glossary(sample, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(COLUMNS)
    csv_rows = list(csv.reader(io.StringIO(export_glossary(sample, "csv").decode("utf-8-sig"))))
    unguarded = [[cell[1:] if cell[:2] in ("'=", "'-", "'+", "'@") else cell for cell in row] for row in csv_rows]
    assert rows == unguarded
    note = sheet.cell(row=5, column=COLUMNS.index("note") + 1)
    assert note.value == '=HYPERLINK("http://example.invalid")' and note.data_type == "s", "text, not a formula"
    assert sheet.cell(row=5, column=COLUMNS.index("en_variants") + 1).value == '-OH <test> & "q"', "no apostrophe"
    assert sheet.freeze_panes == "A2"


def test_an_xlsx_upload_is_refused_with_a_reason(sample):
    with pytest.raises(FormatError, match="save the sheet as CSV UTF-8"):
        parse_glossary(export_glossary(sample, "xlsx"))
    with pytest.raises(FormatError, match="export format only"):
        parse_glossary(b"zh,en\n", "xlsx")
