"""The Chinese left boundary: each rule on an invented context."""

import pytest

from glossary.mining.boundary import english_length_range, resolve_boundaries, score_options


def best(left: str, en: str = "", abbr: str = "", fit: float = 1.0) -> str:
    return score_options(left, en, abbr, fit)[0].zh


@pytest.mark.parametrize(
    ("left", "en", "abbr", "term"),
    [
        ("研究发现了瘦素", "leptin", "", "瘦素"),  # particle 了
        ("和载脂蛋白E", "apolipoprotein E", "", "载脂蛋白E"),  # conjunction, Latin tail
        ("血糖升高患者的糖化血红蛋白", "glycated hemoglobin", "HbA1c", "糖化血红蛋白"),  # 的-phrase
        ("可诱导一氧化氮合酶", "nitric oxide synthase", "NOS", "一氧化氮合酶"),  # verb
        ("注射 10 毫克地塞米松", "dexamethasone", "", "地塞米松"),  # number and measure word
        ("其中一种热休克蛋白", "heat shock protein", "HSP", "热休克蛋白"),  # numeral-measure
        ("同时检测了丙氨酸氨基转移酶", "", "ALT", "丙氨酸氨基转移酶"),  # abbreviation only
        ("研究对象为2型糖尿病", "type 2 diabetes mellitus", "T2DM", "2型糖尿病"),
        ("激活腺苷酸活化蛋白激酶", "AMP-activated protein kinase", "AMPK", "腺苷酸活化蛋白激酶"),
        (
            "阻断了血管内皮生长因子受体2",
            "vascular endothelial growth factor receptor 2",
            "VEGFR2",
            "血管内皮生长因子受体2",
        ),
        ("通过抑制磷脂酰肌醇3-激酶", "phosphatidylinositol 3-kinase", "PI3K", "磷脂酰肌醇3-激酶"),
        ("患者血清中高敏C反应蛋白", "high-sensitivity C-reactive protein", "hs-CRP", "高敏C反应蛋白"),
    ],
)
def test_boundary_stops_before_non_term_words(left, en, abbr, term):
    assert best(left, en, abbr) == term


def test_verb_inside_a_term_is_licensed_by_an_english_participle():
    assert best("通过巨噬细胞介导的吞噬", "macrophage-mediated phagocytosis") == "巨噬细胞介导的吞噬"


def test_conjunction_inside_a_term_is_licensed_by_english_and():
    assert best("根据食品与药物管理局", "Food and Drug Administration", "FDA") == "食品与药物管理局"


def test_modifier_missing_from_the_english_is_left_out():
    assert best("检测血浆同型半胱氨酸", "homocysteine", "Hcy") == "同型半胱氨酸"
    assert best("检测血浆同型半胱氨酸", "plasma homocysteine") == "血浆同型半胱氨酸"


def test_traditional_context_is_segmented_like_simplified():
    assert best("並且抑制了環氧合酶", "cyclooxygenase", "COX") == "環氧合酶"
    assert best("以人類免疫缺陷病毒", "human immunodeficiency virus", "HIV") == "人類免疫缺陷病毒"


def test_glued_latin_letter_stays_with_the_term():
    assert best("血清C反應蛋白", "C-reactive protein", "CRP") == "C反應蛋白"


def test_options_are_ranked_and_kept():
    options = score_options("可以使得轻度肝脂肪变性", "mild hepatic steatosis")
    assert options[0].zh == "轻度肝脂肪变性"
    assert "肝脂肪变性" in [option.zh for option in options[1:]]
    assert options[0].score > options[1].score


def test_english_length_range_grows_with_content_words():
    low, high = english_length_range("nitric oxide synthase")
    assert low <= 6 <= high
    assert english_length_range("factor X")[0] < low


def test_shared_suffix_of_different_contexts_wins():
    contexts = [
        ("应激可激活下丘脑-垂体-性腺", "hypothalamic-pituitary-gonadal", "HPG", 1.0),
        ("神经内分泌系统如下丘脑-垂体-性腺", "hypothalamo-pituitary-gonadal", "HPG", 1.0),
    ]
    ranked = resolve_boundaries(contexts, [""])
    assert [options[0].zh for options in ranked] == ["下丘脑-垂体-性腺", "下丘脑-垂体-性腺"]


def test_longer_english_asks_for_longer_chinese():
    contexts = [
        ("可以使得轻度肝脂肪变性", "mild hepatic steatosis", "", 0.0),
        ("患者出现肝脂肪变性", "hepatic steatosis", "", 0.0),
    ]
    text = "肝脂肪变性，肝脂肪变性。"
    assert [options[0].zh for options in resolve_boundaries(contexts, [text])] == ["轻度肝脂肪变性", "肝脂肪变性"]


def test_free_standing_occurrence_elsewhere_is_evidence():
    contexts = [("还会引起血浆脂多糖", "lipopolysaccharide", "LPS", 1.0)]
    texts = ["此外，脂多糖、乳酸盐也有关。革兰氏阴性菌产生的脂多糖，透过屏障。"]
    assert resolve_boundaries(contexts, texts)[0][0].zh == "脂多糖"


@pytest.mark.parametrize(
    ("left", "absent"),
    [
        ("检测氧化型辅酶", "型辅酶"),  # 型 is a bound suffix: no term starts with it
        ("位于非翻译序列", "翻译序列"),  # 非 is a bound prefix: no term starts after it
        ("檢測氧化型輔酶", "型輔酶"),  # traditional script, segmented in its simplified form
    ],
)
def test_no_option_starts_with_a_bound_suffix_or_after_a_bound_prefix(left, absent):
    options = [option.zh for option in score_options(left, "", "OXC")]
    assert options and absent not in options
