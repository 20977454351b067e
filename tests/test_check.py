"""The writer's abbreviation check: each kind of issue, the definition shapes, offsets and messages."""

from __future__ import annotations

import pytest

from glossary.search import check_abbreviations, find_definitions
from glossary.services.concepts import create_concept


@pytest.fixture()
def glossary(db):
    for terms in ([{"text": "下丘脑-垂体-肾上腺轴"}, {"text": "hypothalamic-pituitary-adrenal axis"},
                   {"text": "HPA", "kind": "abbreviation", "lang": "en"}],
                  [{"text": "短链脂肪酸"}, {"text": "short-chain fatty acid"},
                   {"text": "SCFAs", "kind": "abbreviation", "lang": "en"}]):
        create_concept(db.session, {"terms": terms}, None)
    db.session.commit()


def kinds(db, text: str) -> list[tuple[str, str]]:
    return [(i["kind"], i["abbreviation"]) for i in check_abbreviations(db.session, text)]


@pytest.mark.parametrize(("text", "abbr", "zh", "en"), [
    ("下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，HPA）", "HPA", "下丘脑-垂体-肾上腺轴",
     "hypothalamic-pituitary-adrenal axis"),
    ("研究发现短链脂肪酸（SCFAs）", "SCFAs", "研究发现短链脂肪酸", ""),
    ("the hypothalamic-pituitary-adrenal axis (HPA) responds", "HPA", "", "hypothalamic-pituitary-adrenal axis"),
    ("核因子κB (nuclear factor kappa B, NF-κB)", "NF-κB", "核因子κB", "nuclear factor kappa B"),
    ("白细胞介素-6（IL-6）", "IL-6", "白细胞介素-6", ""),
])
def test_definition_shapes(text, abbr, zh, en):
    (definition,) = find_definitions(text)
    assert (definition.abbr, definition.zh, definition.en) == (abbr, zh, en)
    assert text[definition.start:definition.end] == abbr


def test_clean_draft_has_no_issues(db, glossary):
    text = "下丘脑-垂体-肾上腺轴（hypothalamic-pituitary-adrenal axis，HPA）在应激中激活；HPA 功能失调与抑郁有关。"
    assert check_abbreviations(db.session, text) == []


def test_undefined_with_the_glossary_hint(db, glossary):
    issues = check_abbreviations(db.session, "慢性应激时 HPA 过度激活。")
    assert [(i["kind"], i["start"], i["end"]) for i in issues] == [("undefined", 6, 9)]
    assert "下丘脑-垂体-肾上腺轴" in issues[0]["message"]
    assert kinds(db, "IL-6 升高") == [("undefined", "IL-6")]


def test_used_before_definition(db, glossary):
    text = "HPA 激活。随后，下丘脑-垂体-肾上腺轴（HPA）持续亢进，HPA 负反馈受损。"
    issues = check_abbreviations(db.session, text)
    assert [(i["kind"], i["start"]) for i in issues] == [("used_before_definition", 0)]
    assert issues[0]["definition_start"] == text.index("（HPA）") + 1


def test_defined_twice(db, glossary):
    text = "短链脂肪酸（SCFAs）由菌群产生。SCFAs 很重要。短链脂肪酸（SCFAs）也影响免疫，SCFAs 还能……"
    issues = check_abbreviations(db.session, text)
    assert [i["kind"] for i in issues] == ["defined_twice"]
    assert issues[0]["start"] == text.rindex("（SCFAs）") + 1


def test_defined_differently_from_the_glossary(db, glossary):
    text = "高原肺动脉高压（high-altitude pulmonary arterial hypertension，HPA）常见，HPA 患者……"
    issues = check_abbreviations(db.session, text)
    assert [i["kind"] for i in issues] == ["differs_from_glossary"]
    assert issues[0]["glossary"] == ["hypothalamic-pituitary-adrenal axis", "下丘脑-垂体-肾上腺轴"]
    assert "glossary has" in issues[0]["message"]


def test_defined_but_never_used(db, glossary):
    text = "肠道菌群产生短链脂肪酸（SCFAs），并影响宿主代谢。"
    assert kinds(db, text) == [("unused", "SCFAs")]


def test_well_known_and_non_abbreviations_are_ignored(db, glossary):
    assert check_abbreviations(db.session, "DNA 与 RNA 的 PCR 检测；Figure 2 (A) shows it.") == []
