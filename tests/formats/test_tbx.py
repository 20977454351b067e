"""TBX-Basic in both editions: structure, round trip, other tools' files, bad input."""

from __future__ import annotations

import pytest
from lxml import etree

from glossary.formats import FormatError, export_glossary, parse_glossary
from tests.formats.conftest import term_signature

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3 = "{urn:iso:std:iso:30042:ed-2}"
TERM_TYPES = {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}
STATUSES = {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}


def lossy_signature(concept):
    """TBX keeps a traditional form only where it differs from the simplified one."""
    return sorted(
        (lang, text, kind, status, hant if hant != text else None)
        for lang, text, kind, status, hant in term_signature(concept)
    )


def check_term_group(group, prefix=""):
    terms = group.findall(f"{prefix}term")
    assert len(terms) == 1 and terms[0].text
    assert group[0] is terms[0], "term comes first"
    notes = {note.get("type"): note.text for note in group.findall(f"{prefix}termNote")}
    assert notes["termType"] in TERM_TYPES
    assert notes["administrativeStatus"] in STATUSES
    for context in group.iter(f"{prefix}descrip"):
        assert context.get("type") == "context"
        assert context.getparent().tag in (f"{prefix}descripGrp", group.tag)


def test_tbx_basic_2008_structure(sample):
    raw = export_glossary(sample, "tbx")
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<martif ')
    assert b"<!DOCTYPE" not in raw, "no relative DOCTYPE unless asked: Java's parser fails without the DTD beside it"
    tree = etree.fromstring(raw)
    assert tree.tag == "martif"
    assert tree.get("type") == "TBX-Basic" and tree.get(XML_LANG) == "en"
    assert [child.tag for child in tree] == ["martifHeader", "text"]
    assert tree.find("martifHeader/fileDesc/sourceDesc/p").text
    assert tree.find("martifHeader/encodingDesc/p[@type='XCSURI']").text == "TBXBasic-zh-en.xcs"
    entries = tree.findall("text/body/termEntry")
    assert len(entries) == len(sample["concepts"])
    assert [entry.get("id") for entry in entries] == ["c12", "c13", "c14", "c15", "e5"]
    for entry, concept in zip(entries, sample["concepts"], strict=True):
        languages = [section.get(XML_LANG) for section in entry.findall("langSet")]
        assert (set(languages) <= {"zh-Hans", "en", "zh-Hant"} and languages[-1] != "zh-Hans") or len(languages) == 1
        children = [child.tag for child in entry]
        assert children.index("langSet") == len(children) - len(languages), "data categories before langSets"
        subject = entry.find("descrip[@type='subjectField']")
        assert (subject.text if subject is not None else None) == concept["domain"]
        for section in entry.findall("langSet"):
            assert section.findall("tig")
            for group in section.findall("tig"):
                check_term_group(group)


def test_tbx_v3_2019_structure(sample):
    raw = export_glossary(sample, "tbx3")
    tree = etree.fromstring(raw)
    assert tree.tag == f"{TBX3}tbx"
    assert (tree.get("type"), tree.get("style"), tree.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert [child.tag for child in tree] == [f"{TBX3}tbxHeader", f"{TBX3}text"]
    assert tree.find(f"{TBX3}tbxHeader/{TBX3}fileDesc/{TBX3}sourceDesc/{TBX3}p").text
    entries = tree.findall(f"{TBX3}text/{TBX3}body/{TBX3}conceptEntry")
    assert len(entries) == len(sample["concepts"])
    for entry in entries:
        sections = entry.findall(f"{TBX3}langSec")
        assert sections and {section.get(XML_LANG) for section in sections} <= {"zh-Hans", "en", "zh-Hant"}
        for section in sections:
            for group in section.findall(f"{TBX3}termSec"):
                check_term_group(group, TBX3)
    assert not tree.findall(".//termEntry") and not tree.findall(f".//{TBX3}tig")


@pytest.mark.parametrize("fmt", ["tbx", "tbx3"])
def test_round_trip_keeps_terms_statuses_abbreviations_domains(sample, fmt):
    parsed = parse_glossary(export_glossary(sample, fmt))
    assert parsed.format == fmt and not parsed.warnings
    assert len(parsed.concepts) == len(sample["concepts"])
    for original, read in zip(sample["concepts"], parsed.concepts, strict=True):
        assert lossy_signature(read) == lossy_signature(original)
        for field in ("domain", "definition", "note"):
            assert read[field] == original[field]
        assert read["id"] == original["id"]
    assert parsed.concepts[0]["terms"][0]["zh_hant"] == "催產素"


@pytest.mark.parametrize("fmt", ["tbx", "tbx3"])
def test_round_trip_keeps_context_sentences_and_source_names(sample, fmt):
    parsed = parse_glossary(export_glossary(sample, fmt))
    evidence = parsed.concepts[0]["evidence"]
    assert [(e["term"], e["sentence"], e["source"], e["start"]) for e in evidence] == [
        ("催产素", "分娩时催产素水平升高。", "oxytocin-review.txt", None),
        ("oxytocin", "Oxytocin <rises> & oxytocin falls.", "oxytocin-review.txt", None),
    ]
    assert {s["filename"] for s in parsed.data["sources"]} == {"oxytocin-review.txt", "stress & <axis>.txt"}
    assert all(s["key"] is None for s in parsed.data["sources"])


def test_entry_lines_are_the_entry_elements(sample):
    raw = export_glossary(sample, "tbx")
    lines = raw.decode().splitlines()
    parsed = parse_glossary(raw)
    starts = [lines[line - 1].strip() for line in parsed.lines]
    assert starts == [
        '<termEntry id="c12">',
        '<termEntry id="c13">',
        '<termEntry id="c14">',
        '<termEntry id="c15">',
        '<termEntry id="e5">',
    ]


def test_xml_invalid_characters_are_dropped_not_fatal(sample):
    sample["concepts"][0]["note"] = "bell\x07 and nul\x00 gone"
    parsed = parse_glossary(export_glossary(sample, "tbx"))
    assert parsed.concepts[0]["note"] == "bell and nul gone"


FOREIGN_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en-US">
<martifHeader><fileDesc><sourceDesc><p>Other tool</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="T-1">
  <descripGrp><descrip type="subjectField">endocrinology</descrip></descripGrp>
  <langSet xml:lang="en-US">
    <descrip type="definition">A hormone.</descrip>
    <ntig><termGrp><term>cortisol</term><termNote type="termType">fullForm</termNote></termGrp></ntig>
    <ntig><termGrp><term>hydrocortisone</term></termGrp>
      <descrip type="context">Hydrocortisone is cortisol as a drug.</descrip></ntig>
  </langSet>
  <langSet xml:lang="zh-CN"><tig><term>皮质醇</term></tig></langSet>
  <langSet xml:lang="zh-TW"><tig><term>皮質醇</term></tig><tig><term>氫化可體松</term></tig></langSet>
  <langSet xml:lang="de"><tig><term>Cortisol</term></tig></langSet>
</termEntry>
<termEntry>
  <langSet xml:lang="fr"><tig><term>cortisol</term></tig></langSet>
</termEntry>
<termEntry>
  <langSet xml:lang="EN"><tig><term>ACTH</term>
    <termNote type="termType">acronym</termNote>
    <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_reads_files_from_other_tools():
    parsed = parse_glossary(FOREIGN_2008.encode())
    assert parsed.format == "tbx"
    assert len(parsed.concepts) == 2 and parsed.lines == [5, 20]
    cortisol, acth = parsed.concepts
    assert cortisol["id"] is None
    assert (cortisol["domain"], cortisol["definition"]) == ("endocrinology", "A hormone.")
    assert lossy_signature(cortisol) == [
        ("en", "cortisol", "full", "preferred", None),
        ("en", "hydrocortisone", "full", "admitted", None),
        ("zh", "氢化可体松", "full", "admitted", "氫化可體松"),
        ("zh", "皮质醇", "full", "preferred", "皮質醇"),
    ]
    assert cortisol["evidence"][0]["term"] == "hydrocortisone"
    assert lossy_signature(acth) == [("en", "ACTH", "abbreviation", "deprecated", None)]
    assert any("'de'" in warning for warning in parsed.warnings)
    assert any("line 17" in warning for warning in parsed.warnings)


def test_reads_tbx_v3_with_the_later_namespace():
    raw = """<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
<text><body><conceptEntry id="c7"><langSec xml:lang="zh-Hans"><termSec><term>皮质醇</term>
<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
<langSec xml:lang="en"><termSec><term>cortisol</term></termSec></langSec></conceptEntry></body></text></tbx>"""
    parsed = parse_glossary(raw.encode(), "tbx")
    assert parsed.format == "tbx3"
    assert [(t["lang"], t["text"]) for t in parsed.concepts[0]["terms"]] == [("zh", "皮质醇"), ("en", "cortisol")]
    assert parsed.concepts[0]["id"] == 7


def test_utf16_tbx_is_decoded(sample):
    text = export_glossary(sample, "tbx").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    parsed = parse_glossary(text.encode("utf-16"))
    assert parsed.encoding == "utf-16" and len(parsed.concepts) == 5


def test_xml_that_is_not_tbx():
    with pytest.raises(FormatError, match=r"not TBX: its root element is <html>"):
        parse_glossary(b"<html><body><p>hello</p></body></html>")


def test_tbx_without_chinese_or_english():
    raw = (
        b'<martif type="TBX"><text><body><termEntry><langSet xml:lang="fr"><tig><term>x</term></tig>'
        b"</langSet></termEntry></body></text></martif>"
    )
    with pytest.raises(FormatError, match="no Chinese or English terms"):
        parse_glossary(raw)


def test_malformed_xml_reports_the_line():
    with pytest.raises(FormatError) as caught:
        parse_glossary(b"<martif>\n<text>\n<body>\n</text>\n</martif>")
    assert caught.value.line == 4 and "not well-formed XML" in str(caught.value)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    raw = f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="en"><tig><term>a&xxe;b</term></tig>
</langSet></termEntry></body></text></martif>"""
    parsed = parse_glossary(raw.encode())
    assert "SECRET" not in parsed.concepts[0]["terms"][0]["text"]
