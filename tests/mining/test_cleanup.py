"""Cleanup of PDF-extracted text: each repair on a small invented example, and the offset map."""

import re

import pytest

from glossary.mining import clean_text


def cleaned(source: str) -> str:
    return clean_text(source).text


def test_chinese_lines_join_without_a_space():
    assert cleaned("胰岛素抵抗是二型糖\n\n尿病的核心机制。") == "胰岛素抵抗是二型糖尿病的核心机制。"


def test_traditional_lines_join_the_same_way():
    assert cleaned("胰島素阻抗是第二型糖\n尿病的核心機制。") == "胰島素阻抗是第二型糖尿病的核心機制。"


def test_english_lines_join_with_one_space():
    assert cleaned("（insulin \nresistance，IR）") == "（insulin resistance，IR）"
    assert cleaned("the renin angiotensin\n\naldosterone system") == "the renin angiotensin aldosterone system"


def test_sentence_end_keeps_the_break():
    assert cleaned("第一句话结束。\n\n第二句话开始") == "第一句话结束。\n第二句话开始"


def test_real_hyphen_at_line_end_is_kept():
    assert cleaned("（growth hormone-\nreleasing hormone，GHRH）") == "（growth hormone-releasing hormone，GHRH）"
    assert cleaned("(beta- \nlactamase)") == "(beta-lactamase)"


def test_hyphen_that_only_split_a_word_is_dropped_when_the_word_occurs_whole():
    text = cleaned("chronic inflam-\nmation of the liver; inflammation persists.")
    assert "chronic inflammation of the liver" in text


def test_hyphenation_mark_is_always_a_break():
    assert cleaned("tyrosine phos⁃\nphatase") == "tyrosine phosphatase"
    assert cleaned("Ab⁃stract and IL⁃6") == "Abstract and IL-6"


def test_running_header_inside_a_sentence_is_dropped():
    source = "肾素-血管紧张素系统的过度激活\n\n王某 等 | 中华肾脏病杂志, 2023, 39(4) 281\n\nhttp://www.example.org/journal\n\n导致肾小球硬化。"
    assert cleaned(source) == "肾素-血管紧张素系统的过度激活导致肾小球硬化。"


def test_page_numbers_doi_lines_and_vertical_labels_are_dropped():
    source = "巨噬细胞极化\n\n128\n\nDOI: 10.1234/abcd.2021.0042\n\n中\n华\n医\n学\n\n在炎症消退中起作用。"
    assert cleaned(source) == "巨噬细胞极化在炎症消退中起作用。"


def test_journal_volume_line_is_dropped():
    header = "88临床检验杂志2022年3月第40卷第3期  Chinese Journal of Lab Medicine.Vol.40.No.3"
    source = f"血小板活化\n\n{header}\n\n与血栓形成有关。"
    assert cleaned(source) == "血小板活化与血栓形成有关。"


def test_caption_interrupting_a_sentence_is_dropped():
    source = (
        "大量研究表明在糖尿病患者 \n\n图 2  胰岛素信号通路示意图\nFigure 2  Insulin signalling\n\n的肾脏中发现了损伤。"
    )
    assert cleaned(source) == "大量研究表明在糖尿病患者的肾脏中发现了损伤。"


def test_headings_and_keyword_lines_stay_on_their_own():
    source = "1.2  研究方法\n\n采用横断面设计\n关键词：糖尿病；肾病\n\n开放获取标识"
    assert cleaned(source) == "1.2  研究方法\n采用横断面设计\n关键词：糖尿病；肾病\n开放获取标识"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("血糖控制不佳[12]。", "血糖控制不佳。"),
        ("见于多项研究［4-7］，", "见于多项研究，"),
        ("相关报道 [27-29]。", "相关报道。"),
        ("均有报道[3,5-8]和[4，8-10]", "均有报道和"),
        ("Smith 等[18]发现", "Smith 等发现"),
    ],
)
def test_citation_marks_are_removed(source, expected):
    assert cleaned(source) == expected


def test_bracketed_words_are_not_citations():
    assert cleaned("（insulin［Title/Abstract］）") == "（insulin［Title/Abstract］）"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("an eff ector cell", "an effector cell"),
        ("neurogenic infl ammation", "neurogenic inflammation"),
        ("a signifi cant rise", "a significant rise"),
        ("the ﬁbroblast", "the fibroblast"),
        ("turned off the pump", "turned off the pump"),
    ],
)
def test_ligature_splits_are_repaired(source, expected):
    assert cleaned(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("下丘脑 -垂体 -性腺轴", "下丘脑-垂体-性腺轴"),
        ("白细胞介素 -6", "白细胞介素-6"),
        ("转化生长因子 -β", "转化生长因子-β"),
        ("血 清 肌 酐 升 高", "血清肌酐升高"),
        ("腫 瘤 壞 死", "腫瘤壞死"),
    ],
)
def test_stray_spaces_are_removed(source, expected):
    assert cleaned(source) == expected


def test_fullwidth_letters_and_digits_become_ascii():
    assert cleaned("ＩＬ－６和ＴＮＦ") == "IL－6和TNF"


def test_offsets_point_back_into_the_original_text():
    source = "研究显示，降低γ-氨\n\n基丁酸 [12]（gamma- \naminobutyric acid，GABA）水平。"
    clean = clean_text(source)
    start = clean.text.index("γ-氨基丁酸")
    end = clean.text.index("）") + 1
    source_start, source_end = clean.source_span(start, end)
    assert source[source_start] == "γ"
    assert source[source_end - 1] == "）"
    squeezed = re.sub(r"\s+|\[12\]", "", source[source_start:source_end])
    assert squeezed == re.sub(r"\s+", "", clean.text[start:end])


def test_sentence_around_a_span_is_the_cleaned_sentence():
    clean = clean_text("第一句。第二句提到了\n\n白细胞介素（interleukin）。第三句。")
    start = clean.text.index("白细胞")
    assert clean.sentence_at(start, start + 3) == "第二句提到了白细胞介素（interleukin）。"
