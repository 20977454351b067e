"""Extraction: each bracket form, keyword lines, and what is not a definition."""

import pytest

from glossary.mining import clean_text
from glossary.mining.extract import find_mentions


def mentions(text: str):
    return find_mentions(0, clean_text(text))


def only(text: str):
    found = mentions(text)
    assert len(found) == 1, found
    return found[0]


def test_chinese_then_english():
    mention = only("研究发现胰岛素（insulin）可降低血糖。")
    assert (mention.kind, mention.en, mention.abbr) == ("zh_first", "insulin", "")
    assert mention.left.endswith("胰岛素")


@pytest.mark.parametrize(
    "text",
    [
        "胰岛素样生长因子1（insulin-like growth factor 1，IGF-1）水平",
        "胰岛素样生长因子1 (insulin-like growth factor 1, IGF-1)水平",
        "胰岛素样生长因子1(insulin-like growth factor 1, IGF-1)水平",
        "胰岛素样生长因子1（IGF-1，insulin-like growth factor 1）水平",
        "胰岛素样生长因子1（insulin-like growth factor 1; IGF-1）水平",
    ],
)
def test_chinese_english_abbreviation_in_every_bracket_style(text):
    mention = only(text)
    assert (mention.en, mention.abbr) == ("insulin-like growth factor 1", "IGF-1")
    assert mention.abbr_fit == 1.0
    assert mention.left.endswith("胰岛素样生长因子1")


def test_chinese_then_abbreviation():
    mention = only("同时检测谷丙转氨酶（ALT）活性")
    assert (mention.en, mention.abbr) == ("", "ALT")


def test_traditional_chinese_then_english():
    mention = only("血清C反應蛋白（C-reactive protein，CRP）升高")
    assert (mention.en, mention.abbr) == ("C-reactive protein", "CRP")
    assert mention.left.endswith("血清C反應蛋白")


def test_english_then_chinese():
    mention = only("Heart rate variability（心率变异性）是自主神经功能的指标。")
    assert (mention.kind, mention.en, mention.zh) == ("en_first", "Heart rate variability", "心率变异性")


def test_english_abbreviation_chinese():
    mention = only("patients with a high body mass index (BMI, 体重指数) were excluded")
    assert (mention.en, mention.abbr, mention.zh) == ("body mass index", "BMI", "体重指数")


def test_english_then_abbreviation():
    mention = only("levels of reactive oxygen species (ROS) rose")
    assert (mention.kind, mention.en, mention.abbr, mention.zh) == ("en_first", "reactive oxygen species", "ROS", "")


def test_slash_list_stays_one_pair():
    mention = only("和葡萄球菌/链球菌(Staphylococcus/Streptococcus)的比例")
    assert mention.en == "Staphylococcus/Streptococcus"
    assert mention.left.endswith("葡萄球菌/链球菌")


def test_term_continuing_after_the_bracket_is_noted():
    mention = only("激活下丘脑-垂体-性腺（hypothalamic-pituitary-gonadal，HPG）轴的功能")
    assert mention.after == "轴"
    assert only("基质金属蛋白酶（matrix metalloproteinase，MMP）-9的表达").after == "-9"


def test_short_chinese_aside_inside_a_name_is_crossed():
    mention = only("国家药品（医疗器械）审评中心（CDE）发布")
    assert mention.left == "国家药品（医疗器械）审评中心"


def test_lower_case_short_form_that_does_not_fit_keeps_the_pair():
    mention = only("调节性T细胞（regulatory T cells，Tregs）")
    assert (mention.en, mention.abbr) == ("regulatory T cells", "")


def test_doubled_abbreviation_is_repaired():
    assert only("丙氨酸氨基转移酶（alanine aminotransferase，ALTALT）").abbr == "ALT"


def test_keyword_lines_pair_in_order():
    text = "关键词：心房颤动；抗凝治疗；卒中\nKey words: atrial fibrillation; anticoagulation; stroke\n"
    pairs = [(m.zh, m.en) for m in mentions(text)]
    assert pairs == [("心房颤动", "atrial fibrillation"), ("抗凝治疗", "anticoagulation"), ("卒中", "stroke")]


def test_traditional_keyword_lines_with_brackets_label():
    text = "【關鍵詞】 慢性阻塞性肺病；預後\n【Key words】 chronic obstructive pulmonary disease; prognosis\n"
    assert [(m.zh, m.en) for m in mentions(text)] == [
        ("慢性阻塞性肺病", "chronic obstructive pulmonary disease"),
        ("預後", "prognosis"),
    ]


def test_keyword_lines_with_different_counts_give_nothing():
    assert mentions("关键词：甲；乙；丙\nKeywords: alpha; beta\n") == []


@pytest.mark.parametrize(
    "text",
    [
        "两组差异显著（P<0.05）",
        "结果见图（图2）",
        "与既往报道一致（Smith et al., 2019）",
        "与既往报道一致（Smith, 2019）",
        "于次年（2019年3月）完成",
        "常用药物（如阿司匹林、氯吡格雷等）",
        "共纳入患者（n=120）",
        "本研究受基金资助（No. 81970123）",
        "本研究受基金资助（81970123）",
        "详细数据（见表1）",
        "显著升高（<b>bold</b>）",
        "公式计算（$\\alpha$）",
        "随访时间（2021-03-05）",
        "既往研究（包括队列研究）",
        "样本量（12）",
    ],
)
def test_non_definitions_are_rejected(text):
    assert mentions(text) == []


def test_abbreviation_then_its_english_expansion():
    mention = only("检测血清IL-6（interleukin-6）水平")
    assert (mention.kind, mention.en, mention.abbr, mention.zh) == ("en_first", "interleukin-6", "IL-6", "")


def test_abbreviation_then_its_chinese_name():
    mention = only("此外，TGF-β（转化生长因子-β）可促进纤维化。")
    assert (mention.abbr, mention.zh, mention.en) == ("TGF-β", "转化生长因子-β", "")


def test_english_abbreviation_inside_a_chinese_sentence():
    mention = only("另采用 reverse transcription polymerase chain reaction (RT-PCR) 检测")
    assert (mention.en, mention.abbr) == ("reverse transcription polymerase chain reaction", "RT-PCR")


def test_roman_numerals_belong_to_terms():
    mention = only("血管緊張素Ⅱ（angiotensin Ⅱ，AngⅡ）通過受體發揮作用")
    assert (mention.en, mention.abbr) == ("angiotensin Ⅱ", "AngⅡ")
    assert mention.left.endswith("血管緊張素Ⅱ")


@pytest.mark.parametrize(
    "text",
    [
        "死亡风险降低（HR 0.75）",
        "给予地塞米松（10 mg/kg）",
        "纳入成人（18–65 years）",
        "比值（OR 2）",
        "浓度（2.5 mmol/L）",
    ],
)
def test_statistics_and_measurements_are_rejected(text):
    assert mentions(text) == []
