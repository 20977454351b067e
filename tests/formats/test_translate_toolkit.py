"""An independent TBX reader, translate-toolkit's, reads our TBX-Basic export."""

from __future__ import annotations

import pytest

from glossary.formats import export_glossary

tbx = pytest.importorskip("translate.storage.tbx")


def texts(terms):
    return [term.text for term in terms]


def test_every_concept_comes_back_as_a_unit_with_its_zh_and_en_terms(sample):
    store = tbx.tbxfile.parsestring(export_glossary(sample, "tbx"), sourcelanguage="zh-Hans", targetlanguage="en")
    assert len(store.units) == len(sample["concepts"])
    for unit, concept in zip(store.units, sample["concepts"], strict=True):
        assert unit.getid() == (f"c{concept['id']}" if concept["id"] else "e5")
        zh = [term["text"] for term in concept["terms"] if term["lang"] == "zh"]
        en = [term["text"] for term in concept["terms"] if term["lang"] == "en"]
        assert texts(unit.get_source_terms()) == zh
        assert texts(unit.get_target_terms()) == en
        assert texts(unit.get_target_terms("zh-Hant")) == [
            term["zh_hant"]
            for term in concept["terms"]
            if term["lang"] == "zh" and term.get("zh_hant") and term["zh_hant"] != term["text"]
        ]


def test_region_tags_for_tools_that_want_zh_cn_and_zh_tw(sample):
    raw = export_glossary(sample, "tbx", zh_tags="region")
    store = tbx.tbxfile.parsestring(raw, sourcelanguage="zh-CN", targetlanguage="en")
    oxytocin = store.units[0]
    assert texts(oxytocin.get_source_terms()) == ["催产素", "缩宫素"]
    assert texts(oxytocin.get_target_terms("zh-TW")) == ["催產素", "縮宮素"]
    assert b'xml:lang="zh-Hans"' not in raw and b'xml:lang="zh-Hant"' not in raw


def test_without_languages_the_first_two_sections_are_zh_and_en(sample):
    store = tbx.tbxfile.parsestring(export_glossary(sample, "tbx"))
    both = [concept for concept in sample["concepts"] if {t["lang"] for t in concept["terms"]} == {"zh", "en"}]
    for unit, concept in zip(store.units, both, strict=False):
        assert unit.source == concept["terms"][0]["text"]
        assert unit.target == next(t["text"] for t in concept["terms"] if t["lang"] == "en")


def test_statuses_and_notes_are_visible_to_it(sample):
    store = tbx.tbxfile.parsestring(export_glossary(sample, "tbx"), sourcelanguage="zh-Hans", targetlanguage="en")
    oxytocin = store.units[0]
    statuses = {term.text: term.administrative_status for term in oxytocin.get_target_terms()}
    assert statuses == {
        "oxytocin": "preferredTerm-admn-sts",
        "OT": "admittedTerm-admn-sts",
        "ocytocin": "admittedTerm-admn-sts",
        "Pitocin": "deprecatedTerm-admn-sts",
    }
    assert [term.text for term in oxytocin.get_target_terms() if term.deprecated] == ["Pitocin"]
    assert sample["concepts"][0]["note"] in oxytocin.getnotes()
    common = {note.category: note.text for note in oxytocin.get_common_notes()}
    assert common["definition"] == sample["concepts"][0]["definition"]
    assert common["subjectField"] == "neuroendocrinology"
    contexts = [note.text for term in oxytocin.get_source_terms() for note in term.notes if note.category == "context"]
    assert contexts == ["分娩时催产素水平升高。"]


def test_tbx_v3_is_not_claimed(sample):
    # translate-toolkit only knows the 2008 <martif> root; the v3 export is for newer tools.
    with pytest.raises(AssertionError):
        tbx.tbxfile.parsestring(export_glossary(sample, "tbx3"))
