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


# Converted documents: Markdown, LaTeX fragments and HTML, as PDF converters write them.


def test_markdown_heading_never_glues_to_the_next_paragraph():
    assert cleaned("## 研究背景\n克罗恩病是一种慢性炎症") == "研究背景\n克罗恩病是一种慢性炎症"
    assert cleaned("# 綜述\n\n### 2.1 病因\n\n潰瘍性結腸炎的病因") == "綜述\n2.1 病因\n潰瘍性結腸炎的病因"


def test_markdown_list_items_stay_on_their_own_lines():
    source = (
        "# 生殖系統\n\n* **睾丸 (Testes)**：產生精子\n  * 附睾 (Epididymis)\n  * 輸精管 (Vas deferens)\n- 三\n1. 四"
    )
    expected = "生殖系統\n睾丸 (Testes)：產生精子\n附睾 (Epididymis)\n輸精管 (Vas deferens)\n三\n四"
    assert cleaned(source) == expected


def test_in_a_markdown_document_a_blank_line_ends_a_paragraph():
    source = "# 标题\n\n作者甲 作者乙\n\n（某大学医学院，某市 100000）\n\n## 摘要\n\n正文第一句\n\n- 要点"
    assert cleaned(source) == "标题\n作者甲作者乙\n（某大学医学院，某市 100000）\n摘要\n正文第一句\n要点"


def test_in_plain_text_a_blank_line_still_joins():
    # One "#" line does not make a Markdown document: the rest is joined as PDF text is.
    source = "# 注释\n\n巨噬细胞的极化\n\n- 12 -\n\n与炎症消退有关\n\n*通讯作者：某某"
    assert cleaned(source) == "注释\n巨噬细胞的极化与炎症消退有关*通讯作者：某某"


def test_markdown_paragraph_cut_at_a_page_end_is_joined():
    source = "# 一\n\n## 二\n\n前文已述。抗氧化酶包括锰超氧化物歧化酶\n\n（Mn-SOD）和过氧化氢酶。"
    assert cleaned(source).endswith("前文已述。抗氧化酶包括锰超氧化物歧化酶（Mn-SOD）和过氧化氢酶。")


def test_markdown_emphasis_links_code_and_escapes_are_reduced_to_text():
    source = "# 一\n# 二\n# 三\n**重点**与__要点__、*斜体*、`IL-6`、[链接](https://example.org)、![图](a.png)、\\*号"
    assert cleaned(source).endswith("重点与要点、斜体、IL-6、链接、图、*号")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "芳香族 $L$ -氨基酸脱羧酶（aromatic $L$ -amino acid decarboxylase）",
            "芳香族L-氨基酸脱羧酶（aromatic L-amino acid decarboxylase）",
        ),
        ("转化生长因子 $\\beta$ 受体", "转化生长因子β受体"),
        ("主要组织相容性复合体 $\\mathrm { I I }$ 类", "主要组织相容性复合体II类"),
        ("谷胱甘肽过氧化物酶（ $\\mathbf { G P x }$ ）", "谷胱甘肽过氧化物酶（GPx）"),
        ("磷酸化 $p$ -Akt 升高", "磷酸化p-Akt 升高"),
        ("铜绿假单胞菌（ $P .$ aeruginosa）", "铜绿假单胞菌（P. aeruginosa）"),
        ("NF- $\\cdot \\kappa \\mathrm { B }$ 通路", "NF-κB通路"),
        ("核轉錄因子 ${ \\bf \\cdot } { \\bf \\kappa } \\mathrm { B }$ 活化", "核轉錄因子-κB活化"),
        ("IκB激酶 $\\mathfrak { a }$ （IKKα）", "IκB激酶α（IKKα）"),
        ("蛋白激酶 $\\mathrm { C } \\xi$ 表达", "蛋白激酶Cξ表达"),
        ("维生素 ${ \\bf D } _ { 3 }$ 和 $\\mathrm { C a } ^ { 2 + }$", "维生素D3和Ca2+"),
        ("约 $4 0 \\% { \\sim } 5 0 \\%$ 的细胞", "约40%~50%的细胞"),
        ("误差 $3 . 2 \\pm 0 . 4$ 毫米", "误差3.2±0.4毫米"),
        ("黏膜免疫 $^ { [ 3 ] }$ 。", "黏膜免疫。"),
        ("相关研究 $^ { [ } 1 2 ^ { ] }$ 表明", "相关研究表明"),
    ],
)
def test_latex_fragments_become_prose(source, expected):
    assert cleaned(source) == expected


def test_html_table_gives_each_cell_its_own_line():
    source = (
        "表1 量表简介\n\n<html><body><table><tr><td>量表名称</td><td>适用 对象</td></tr>"
        "<tr><td>新生儿疼痛 量表（NPS）</td><td>足月儿&amp;早产儿</td></tr></table></body></html>\n\n正文。"
    )
    assert cleaned(source) == "表1 量表简介\n量表名称\n适用对象\n新生儿疼痛量表（NPS）\n足月儿&早产儿\n正文。"


def test_html_article_paragraphs_and_entities():
    source = (
        "<html><head><style>p { margin: 0 }</style><script>track('<p>');</script></head><body>"
        "<p>&gamma;-氨基丁酸（&gamma;-aminobutyric\nacid，GABA）</p><p>&#946;-淀粉样蛋白<br>沉积</p></body></html>"
    )
    assert cleaned(source) == "γ-氨基丁酸（γ-aminobutyric acid，GABA）\nβ-淀粉样蛋白\n沉积"


def test_paragraph_separators_in_the_input_are_line_breaks():
    assert cleaned("第一句话结束。\u2029第二句\u2028继续") == "第一句话结束。\n第二句继续"


def source_of(source: str, piece: str) -> str:
    clean = clean_text(source)
    start = clean.text.index(piece)
    source_start, source_end = clean.source_span(start, start + len(piece))
    return source[source_start:source_end]


def test_converted_text_maps_back_to_the_original_characters():
    source = (
        "# 綜述\n\n## 研究背景\n\n* **核因子** NF- $\\cdot \\kappa \\mathrm { B }$ 與"
        "<table><tr><td>&gamma;-干擾素</td></tr></table>\n\n芳香族 $L$ -氨基酸\n"
    )
    assert source_of(source, "研究背景") == "研究背景"
    assert source_of(source, "核因子") == "核因子"
    assert source_of(source, "NF-κB") == "NF- $\\cdot \\kappa \\mathrm { B }$"
    assert source_of(source, "γ-干擾素") == "&gamma;-干擾素"
    assert source_of(source, "L-氨基酸") == "$L$ -氨基酸"


def test_a_page_number_between_blocks_does_not_join_them():
    source = "# 一\n\n# 二\n\n# 三\n\n作者甲 作者乙\n\n12\n正文第一句"
    assert cleaned(source) == "一\n二\n三\n作者甲作者乙\n正文第一句"
