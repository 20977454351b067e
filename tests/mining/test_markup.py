"""Converter markup on invented examples: LaTeX fragments, HTML, Markdown, each rewrite mapped back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.mining import clean_text
from glossary.mining.markup import (
    PARAGRAPH_BREAK,
    looks_like_markdown,
    read_latex,
    read_latex_fragments,
    strip_html,
    strip_markdown,
)
from glossary.mining.offsets import OffsetMap


def span_in_source(source: str, rewritten: tuple[str, OffsetMap], piece: str) -> str:
    text, offset_map = rewritten
    start = text.index(piece)
    return source[offset_map.to_source(start) : offset_map.to_source(start + len(piece), end=True)]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (r"\alpha", "α"),
        (r"\beta", "β"),
        (r"\Gamma", "Γ"),
        (r"\varepsilon", "ε"),
        (r"\xi", "ξ"),
        (r"\mathrm { I I I }", "III"),
        (r"\mathbf { S O D }", "SOD"),
        (r"\boldsymbol { \gamma }", "γ"),
        (r"\mathrm { M g } ^ { 2 + }", "Mg2+"),
        (r"\mathrm { H } _ { 2 } \mathrm { O } _ { 2 }", "H2O2"),
        (r"\mathrm { C D _ { 1 9 } ^ { + } }", "CD19+"),
        (r"{ \bf \cdot } \delta", "-δ"),
        (r"\mathfrak { a }", "α"),
        (r"\mathfrak { b }", "b"),
        (r"3 0 \% { \sim } 4 0 \%", "30%~40%"),
        (r"5 \pm 1", "5±1"),
        (r"\mathrm { ~ K ~ } \theta", "Kθ"),  # spaces between single letters go
        (r"2 0 ~ \mu \mathrm { m o l / L }", "20 μmol/L"),  # a space after a number stays
        (r"\text { per day }", "per day"),
        (r"\frac { 1 } { 4 }", "1/4"),
        (r"\left( \mathrm { A } \right.", "(A"),
        (r"\mathrm { N } _ { 2 } { \cdot } ^ { + }", "N2·+"),  # a dot that is no hyphen stays a dot
    ],
)
def test_latex_fragments_read_as_prose(fragment, expected):
    assert read_latex(fragment) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("IK- $\\mathbf { \\sigma } _ { \\kappa \\mathrm { B } }$ 通路", "IK-κB通路"),
        ("壞死因子 $\\mathbf { \\sigma } \\cdot \\mathbf { a }$ （XNF-α）", "壞死因子α（XNF-α）"),
        ("ZF- $\\mathbf { \\nabla } \\cdot \\mathbf { a }$ 水平", "ZF-α水平"),
        ("方差 $\\sigma ^ { 2 }$ 较大", "方差σ2较大"),  # a real sigma stays
        ("梯度 $\\nabla f$ 场", "梯度∇f场"),
    ],
)
def test_ocr_sign_misread_before_a_greek_letter_goes(source, expected):
    """OCR reads the hyphen before κB or α as σ or ∇: a fragment of only that sign and the letter is the letter."""
    assert read_latex_fragments(source)[0] == expected


def test_cdot_after_a_hyphen_adds_no_second_hyphen():
    assert read_latex(r"\cdot \kappa \mathrm { B }", follows_hyphen=True) == "κB"
    assert read_latex(r"\mathrm { A P - } \cdot \beta") == "AP-β"


@pytest.mark.parametrize(
    "fragment",
    [r"\unknowncommand { x }", r"\mathrm { A", r"a } b", r"x & y", r"\hat", r"\overbrace { a }"],
)
def test_unreadable_fragments_give_none(fragment):
    assert read_latex(fragment) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("芳香族 $D$ -氨基酸氧化酶", "芳香族D-氨基酸氧化酶"),
        ("the $D$ -amino acid oxidase", "the D-amino acid oxidase"),
        ("$p$ -ERK 水平", "p-ERK 水平"),
        ("大肠埃希菌( $E .$ coli)", "大肠埃希菌(E. coli)"),
        ("核因子 $\\mathrm { I I }$ （factor II）", "核因子II（factor II）"),
        ("AP- $\\cdot \\kappa \\mathrm { B }$ 通路", "AP-κB通路"),
        ("转录因子 $\\cdot \\delta$ (TF- $\\delta$ )", "转录因子-δ (TF-δ)"),
        ("CD8 $^ { + }$ 细胞", "CD8+细胞"),
        ("浓度 $\\mathrm { C a } ^ { 2 + }$ ，升高", "浓度Ca2+，升高"),
        ("$x$ - $y$ 轴", "x - y轴"),  # a dash standing between two fragments keeps its spaces
        ("價格 $5 and $10", "價格 $5 and $10"),  # dollars in prose are no fragment
        ("梯度 $\\overbrace f$ 场", "梯度 $\\overbrace f$ 场"),  # unreadable: kept as written
        ("显示为 \\$ 符号", "显示为 \\$ 符号"),
    ],
)
def test_fragments_in_running_text(source, expected):
    assert read_latex_fragments(source)[0] == expected


def test_fragment_maps_back_to_the_whole_fragment():
    source = "激活 AP- $\\cdot \\kappa \\mathrm { B }$ 通路"
    rewritten = read_latex_fragments(source)
    assert rewritten[0] == "激活 AP-κB通路"
    assert span_in_source(source, rewritten, "AP-κB") == "AP- $\\cdot \\kappa \\mathrm { B }$"
    assert span_in_source(source, rewritten, "通路") == "通路"


def test_html_table_cells_become_blocks():
    source = "<table><tr><th>名稱</th><th>縮寫</th></tr><tr><td>腫瘤 壞死因子</td><td>TNF</td></tr></table>"
    text = strip_html(source)[0]
    assert [line for line in text.split("\n") if line and line != PARAGRAPH_BREAK] == [
        "名稱",
        "縮寫",
        "腫瘤壞死因子",  # the cell's line wrap goes
        "TNF",
    ]


def test_line_wraps_inside_a_table_cell_go_between_chinese_characters():
    source = "<table><tr><td>嬰兒疼 痛、不適 評估量 表 (ABC-S)</td><td>see the cell</td></tr></table>外 面"
    text = strip_html(source)[0]
    assert "嬰兒疼痛、不適評估量表 (ABC-S)" in text
    assert "see the cell" in text  # spaces between English words stay
    assert "外 面" in text  # outside a cell nothing changes


def test_html_drops_scripts_styles_comments_and_unknown_markup_stays():
    source = (
        "<p>第一段<br/>第二行</p><script>var x = '<td>';</script><style>p { color: red }</style>"
        "<!-- 注释 --><span class='k'>钙</span><sup>2+</sup> 与 <TNF> 及 p<0.05"
    )
    text = strip_html(source)[0].replace(PARAGRAPH_BREAK, "").replace("\n", "|")
    assert text == "||第一段||第二行||钙2+ 与 <TNF> 及 p<0.05"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("&gamma;-干扰素", "γ-干扰素"),
        ("A &amp; B", "A & B"),
        ("&#946;-内酰胺", "β-内酰胺"),
        ("&#x3b1;-螺旋", "α-螺旋"),
        ("十&nbsp;五", "十 五"),
        ("&unknownentity; 留下", "&unknownentity; 留下"),
    ],
)
def test_html_entities_are_unescaped(source, expected):
    assert strip_html(source)[0] == expected


def test_html_maps_cells_back():
    source = "<tr><td>白细胞介素</td></tr>"
    rewritten = strip_html(source)
    assert span_in_source(source, rewritten, "白细胞介素") == "白细胞介素"


MARKDOWN = """# 第一章 免疫

## 研究背景
克罗恩病是一种慢性疾病

- **白细胞介素** (interleukin)
- 第二项 *強調* 與 `代码`
  * 嵌套 [链接文字](https://example.org/a) ![](images/x.png)
1. 第一步 __重要__
2) 第二步

> 引用 \\*星号\\* 保留

---
| 中文 | English |
|---|:---:|
| 腫瘤 | tumour |
"""


def test_markdown_document_is_recognised():
    assert looks_like_markdown(MARKDOWN)
    assert not looks_like_markdown("血糖控制\n\n不佳的患者\n\n- 12 -\n\n（见表1）")


def blocks(text: str) -> list[str]:
    """The lines of a rewritten text, stripped, with each run of block breaks shown as one ¶."""
    shown: list[str] = []
    for line in text.split("\n"):
        line = "¶" if PARAGRAPH_BREAK in line else line.strip()
        if line and not (line == "¶" and shown[-1:] == ["¶"]):
            shown.append(line)
    return shown


def test_markdown_markers_go_and_blocks_stay_apart():
    assert blocks(strip_markdown(MARKDOWN)[0]) == [
        "¶",
        "第一章 免疫",
        "¶",
        "研究背景",
        "¶",
        "克罗恩病是一种慢性疾病",
        "¶",
        "白细胞介素 (interleukin)",
        "¶",
        "第二项 強調 與 代码",
        "¶",
        "嵌套 链接文字",
        "¶",
        "第一步 重要",
        "¶",
        "第二步",
        "¶",
        "引用 *星号* 保留",
        "¶",
        "中文",
        "¶",
        "English",
        "¶",
        "腫瘤",
        "¶",
        "tumour",
        "¶",
    ]


def test_lone_asterisks_are_not_emphasis():
    text = strip_markdown("# 表\n# 注\n# 附\n*P<0.05, **P<0.01 与 2 * 3 * 4")[0]
    assert text.endswith("*P<0.05, **P<0.01 与 2 * 3 * 4")


def test_a_heading_is_a_block_even_outside_a_markdown_document():
    text = strip_markdown("## 研究背景\n克罗恩病是一种疾病")[0]
    assert blocks(text) == ["¶", "研究背景", "¶", "克罗恩病是一种疾病"]


def test_outside_a_markdown_document_lists_and_blank_lines_stay():
    source = "- 第一行\n\n第二行"
    assert strip_markdown(source, document=False)[0] == source


def test_paragraph_cut_mid_sentence_continues_after_the_blank_line():
    source = (
        "# 一\n# 二\n# 三\n前一句结束。这一段在页尾被截断，提到了超氧化物歧化酶\n\n（SOD）的表达。\n\n标题行\n\n正文。"
    )
    text = strip_markdown(source)[0]
    assert "超氧化物歧化酶\n\n（SOD）" in text  # no break: the line joiner decides as for PDF text
    assert f"标题行\n{PARAGRAPH_BREAK}\n正文" in text


def test_markdown_maps_emphasis_back():
    source = "# 一\n# 二\n- **血管紧张素** (angiotensin)\n"
    rewritten = strip_markdown(source)
    assert span_in_source(source, rewritten, "血管紧张素") == "血管紧张素"
    assert span_in_source(source, rewritten, "(angiotensin)") == "(angiotensin)"


MARKUP_PIECES = st.sampled_from(
    [
        "$",
        "$$",
        " ",
        "\\beta",
        "\\cdot",
        "\\mathrm",
        "{",
        "}",
        "^",
        "_",
        "~",
        "\\",
        "<td>",
        "</tr>",
        "<script>",
        "<!--",
        "-->",
        "&gamma;",
        "&amp",
        "# ",
        "\n",
        "\n\n",
        "* ",
        "- ",
        "1. ",
        "**",
        "__",
        "`",
        "[",
        "](",
        ")",
        "|",
        "> ",
        "---",
        "\u2029",
        "。",
        "，",
        "白细胞",
        "腫瘤",
        "IL-6",
        "κB",
    ]
)
MARKUP_TEXTS = st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=6)), max_size=50).map("".join)


@settings(max_examples=200, deadline=None)
@given(MARKUP_TEXTS, st.data())
def test_any_markup_cleans_without_error_and_maps_inside_the_source(text, data):
    clean = clean_text(text)
    assert PARAGRAPH_BREAK not in clean.text
    start = data.draw(st.integers(0, len(clean.text)))
    end = data.draw(st.integers(start, len(clean.text)))
    source_start, source_end = clean.source_span(start, end)
    assert 0 <= source_start <= source_end <= len(text)
