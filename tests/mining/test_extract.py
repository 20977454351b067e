"""Extraction: each bracket form, the order of its parts, and what is not a definition."""

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


# -- orders other than 中文（English，ABBR） ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "评估采用儿童睡眠问卷量表 CSHQ(Children Sleep Habits Questionnaire)进行",
        "評估採用兒童睡眠問卷量表CSHQ（Children Sleep Habits Questionnaire）進行",
    ],
)
def test_abbreviation_between_the_chinese_name_and_its_expansion(text):
    mention = only(text)
    assert (mention.kind, mention.en, mention.abbr) == ("zh_first", "Children Sleep Habits Questionnaire", "CSHQ")
    assert mention.left.endswith(("睡眠问卷量表", "睡眠問卷量表"))
    assert mention.abbr_fit == 1.0


def test_abbreviation_and_expansion_after_a_name_announced_by_a_verb():
    mention = only("眼底最外层名为视网膜色素上皮 RPE（retinal pigment epithelium），负责吞噬")
    assert (mention.kind, mention.en, mention.abbr) == ("zh_first", "retinal pigment epithelium", "RPE")
    assert mention.left.endswith("名为视网膜色素上皮")


def test_a_modifier_before_the_abbreviation_is_not_its_name():
    # 血清 only says where TNF-α was measured: the pair stays English and abbreviation
    mention = only("研究人员检测了患者血清TNF-α（tumor necrosis factor α）水平")
    assert (mention.kind, mention.en, mention.abbr, mention.zh) == ("en_first", "tumor necrosis factor α", "TNF-α", "")


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("植物透過 stomata (氣孔) 交換氣體", "stomata", "氣孔"),
        ("研究者在 zebrafish（斑马鱼）中发现", "zebrafish", "斑马鱼"),
        ("Thymus (胸腺)", "Thymus", "胸腺"),
    ],
)
def test_english_then_chinese_inside_chinese_prose_takes_only_the_english(text, en, zh):
    mention = only(text)
    assert (mention.kind, mention.en, mention.zh) == ("en_first", en, zh)


def test_abbreviation_with_a_chinese_head_keeps_the_pair():
    mention = only("肝脏中的自然杀伤T细胞（natural killer T cell，NKT细胞）较多")
    assert (mention.en, mention.abbr) == ("natural killer T cell", "NKT细胞")
    assert mention.left.endswith("自然杀伤T细胞")
    assert only("增強了濾泡輔助T細胞（Tfh細胞）的功能").abbr == "Tfh細胞"


def test_a_chinese_label_in_brackets_is_no_abbreviation():
    assert mentions("将小鼠分为实验组（A组）和对照组") == []


def test_comma_inside_the_english_does_not_split_it_from_the_abbreviation():
    mention = only("神经毒素1-甲基-4-苯基-1,2,3,6-四氢吡啶（1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine，MPTP）")
    assert (mention.en, mention.abbr) == ("1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine", "MPTP")
    mention = only("溶剂二甲基甲酰胺（N,N-dimethylformamide, DMF）")
    assert (mention.en, mention.abbr) == ("N,N-dimethylformamide", "DMF")


def test_colon_inside_the_english_full_form():
    mention = only("诊断依据手册（Diagnostic Manual: Fifth Edition，DM-5）")
    assert (mention.en, mention.abbr) == ("Diagnostic Manual: Fifth Edition", "DM-5")


@pytest.mark.parametrize(
    ("text", "en", "abbr"),
    [
        ("自然杀伤细胞（natural killer cell，NK cell）", "natural killer cell", "NK cell"),
        ("辅助性T细胞17（T helper 17 cells，Th17 cells）", "T helper 17 cells", "Th17 cells"),
        ("反义寡核苷酸（antisense oligodeoxynucleotide，AS ODN）", "antisense oligodeoxynucleotide", "AS ODN"),
        ("小干扰RNA（small interfering RNA，siRNA）", "small interfering RNA", "siRNA"),
        ("单纯疱疹病毒1型（herpes simplex virus type 1，HSV-1）", "herpes simplex virus type 1", "HSV-1"),
    ],
)
def test_abbreviations_beyond_initials(text, en, abbr):
    mention = only(text)
    assert (mention.en, mention.abbr) == (en, abbr)
    assert mention.abbr_fit == 1.0


@pytest.mark.parametrize(("text", "abbr"), [("检测血红蛋白（Hb）浓度", "Hb"), ("测定肌红蛋白(Mb)含量", "Mb")])
def test_two_letter_short_forms_are_abbreviations(text, abbr):
    mention = only(text)
    assert (mention.en, mention.abbr) == ("", abbr)


@pytest.mark.parametrize(
    ("text", "abbr"), [("激活细胞外信号调节激酶（Erk）通路", "Erk"), ("补充亮氨酸（Leu）后", "Leu")]
)
def test_short_capitalised_form_the_chinese_does_not_translate_is_an_abbreviation(text, abbr):
    assert (only(text).en, only(text).abbr) == ("", abbr)


@pytest.mark.parametrize(("text", "en"), [("  * 膝蓋 (Knee)", "Knee"), ("  * 眼睛 (Eye)", "Eye")])
def test_short_capitalised_word_that_translates_the_chinese_stays_english(text, en):
    assert (only(text).en, only(text).abbr) == (en, "")


def test_coordinated_names_split_into_two_pairs():
    found = mentions("## 藥物吸收與代謝 (Drug Absorption and Metabolism)")
    assert [(m.kind, m.en) for m in found] == [("zh_first", "Drug Absorption"), ("coordinated", "Metabolism")]
    assert found[0].left.endswith("藥物吸收")
    assert found[1].zh == "代謝"


@pytest.mark.parametrize(
    "text",
    [
        "信号转导和转录激活因子（signal transducer and activator of transcription）",  # one name with "of"
        "下丘脑与垂体轴（hypothalamic and pituitary axis，HPA）",  # an abbreviation names the whole
        "心率、血压和体温（heart rate, blood pressure and temperature）",  # a list of three
    ],
)
def test_coordination_inside_one_name_is_not_split(text):
    assert "coordinated" not in [m.kind for m in mentions(text)]


def test_code_named_element_glossed_by_its_function_is_no_pair():
    assert mentions("启动子区含有：GCC-box（乙烯应答元件）和 ACGT-motif（光应答元件）") == []
    assert mentions("还含有低氧应答元件（GC-motif）") == []
    assert mentions("以及干旱应答元件（AT-rich sequence）") == []


# -- brackets that define nothing -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "出水浓度（mg/L）",
        "反应时间（ms）",
        "铅含量（μmol·L-1）",
        "用药剂量（mg·kg-1·d-1）",
        "低频刺激（1Hz）",
        "测得样品（55a）",
        "在样地（S1）采集",
        "二倍體（2n）",
        "与既往报道一致（张三等，2020）",
        "与既往报道一致（Li et al.,2020）",
        "与既往报道一致（Lietal.,2020）",
        "经软件分析（htps://example.org/tool/）",
        "预先给予拮抗剂（ondansetron,10 mg/kg）",
        "补充维生素D（cholecalciferol 400 IU）",
        "调节胞内钙离子（Ca2+）浓度",
        "細胞外鈉離子（Na+）與鉀離子（K+）",
        "三价铁离子（Fe3+）",
        "铵根离子（NH4+）和碳酸氢根（HCO3−）",
    ],
)
def test_units_labels_citations_and_links_are_rejected(text):
    assert mentions(text) == []


def test_a_cell_marker_with_a_sign_is_not_an_ion():
    assert only("辅助性T细胞（CD4+）").abbr == "CD4+"


def test_a_number_the_name_carries_makes_a_letter_and_number_an_abbreviation():
    assert only("血清补体4（C4）降低").abbr == "C4"


def test_a_unit_named_in_chinese_keeps_its_symbol():
    assert only("频率的单位是赫兹（Hz）").abbr == "Hz"


def test_a_number_spelled_in_the_chinese_name_makes_a_letter_and_number_an_abbreviation():
    assert only("血清三碘甲状腺原氨酸（T3）升高").abbr == "T3"


def test_element_symbol_after_a_number():
    mention = only("3锶（Sr）")
    assert (mention.abbr, mention.en) == ("Sr", "")
    assert mention.left == "锶"


# -- names announced with 又称 ------------------------------------------------------


def test_second_name_after_a_definition_pairs_with_its_english():
    found = mentions("维生素B1（thiamine）也称硫胺素，参与糖代谢")
    assert [(m.kind, m.en) for m in found] == [("zh_first", "thiamine"), ("alias", "thiamine")]
    assert found[1].zh == "硫胺素"


def test_second_name_before_the_bracket_shares_the_definition():
    found = mentions("對乙醯氨基酚又稱撲熱息痛（paracetamol），可用於退熱")
    assert [(m.left, m.en) for m in found] == [("撲熱息痛", "paracetamol"), ("對乙醯氨基酚", "paracetamol")]


def test_english_name_after_also_called():
    mention = only("线粒体自噬又称 mitophagy，是一种选择性自噬")
    assert (mention.kind, mention.en) == ("zh_first", "mitophagy")
    assert mention.left.endswith("线粒体自噬")


def test_description_after_called_is_not_a_name():
    found = mentions("胰岛素（insulin）被称为体内唯一的降糖激素")
    assert [m.kind for m in found] == ["zh_first"]


def test_a_second_name_with_its_own_bracket_keeps_its_own_english():
    found = mentions("睡眠週期 (Sleep cycle)，也稱為晝夜週期 (Circadian cycle)")
    assert [(m.kind, m.en) for m in found] == [("zh_first", "Sleep cycle"), ("zh_first", "Circadian cycle")]


def test_chinese_remark_after_an_english_term_is_no_gloss():
    assert mentions("激活了 ERK1（而不通过ERK2）的磷酸化") == []


def test_explicit_pair_with_a_greek_initial_read_as_latin():
    mention = only("阻断α2肾上腺素受体（αadrenergic receptor，a2AR）")
    assert (mention.en, mention.abbr) == ("αadrenergic receptor", "a2AR")
