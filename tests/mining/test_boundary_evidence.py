"""The boundary's evidence: the lexicon, the abbreviation's letters, recurrence, what the text and
the glossary state. Invented contexts, simplified and traditional."""

import pytest

from glossary.mining import mine_texts
from glossary.mining.boundary import option_features, resolve_boundaries, score_options


def best(left: str, en: str = "", abbr: str = "") -> str:
    return score_options(left, en, abbr, 1.0 if abbr else 0.0)[0].zh


@pytest.mark.parametrize(
    ("left", "en", "abbr", "term"),
    [
        # a modifier the English also expresses stays (lateral, extracellular, plasma)
        ("并激活外侧缰核", "lateral habenula", "LHb", "外侧缰核"),
        ("並激活外側韁核", "lateral habenula", "LHb", "外側韁核"),
        ("可增加细胞外基质", "extracellular matrix", "ECM", "细胞外基质"),
        ("检测血浆同型半胱氨酸", "plasma homocysteine", "", "血浆同型半胱氨酸"),
        # context the English lacks goes: a category noun, a modifier, a verb
        ("患者胃肠道疾病溃疡性结肠炎", "ulcerative colitis", "UC", "溃疡性结肠炎"),
        ("患者胃腸道疾病潰瘍性結腸炎", "ulcerative colitis", "UC", "潰瘍性結腸炎"),
        ("检测血浆同型半胱氨酸", "homocysteine", "Hcy", "同型半胱氨酸"),
        ("通过改善肠道菌群紊乱", "gut dysbiosis", "", "肠道菌群紊乱"),
    ],
)
def test_the_english_decides_what_belongs_to_the_term(left, en, abbr, term):
    assert best(left, en, abbr) == term


@pytest.mark.parametrize(
    ("left", "abbr", "term"),
    [
        ("主要存在于肺泡巨噬细胞", "AM", "肺泡巨噬细胞"),  # alveolar + macrophage give A and M
        ("患者胃肠道疾病溃疡性结肠炎", "UC", "溃疡性结肠炎"),
    ],
)
def test_an_abbreviation_alone_is_read_by_its_letters(left, abbr, term):
    assert best(left, "", abbr) == term


def test_options_carry_the_evidence_a_curator_is_shown():
    options = score_options("并激活外侧缰核", "lateral habenula", "LHb", 1.0)
    chosen = options[0]
    assert chosen.zh == "外侧缰核"
    evidence = chosen.evidence()
    assert {"zh": "外侧", "en": "lateral"} in evidence["lexicon"]
    assert any("外侧" in reason for reason in evidence["reasons"])
    assert evidence["recurrence"] == 0


def test_glued_english_words_are_cut_apart_for_alignment():
    features = {o.zh: o.features for o in option_features("可增加细胞外基质", "extracellularmatrix", "ECM", 1.0)}
    assert features["细胞外基质"].get("english_uncovered", 1.0) < 1.0


def test_left_variety_and_free_occurrences_count_elsewhere():
    texts = ["肠道菌群紊乱与肥胖有关。饮食可致肠道菌群紊乱，而运动改善肠道菌群紊乱。"]
    [options] = resolve_boundaries([("通过改善肠道菌群紊乱", "gut dysbiosis", "", 0.0)], texts)
    top = options[0]
    assert top.zh == "肠道菌群紊乱"
    assert top.recurrence >= 1
    assert top.features.get("left_variety", 0) > 0


def test_what_the_text_states_elsewhere_is_evidence():
    # a figure legend states the Chinese name for the same abbreviation
    context = [("經色氨酸羥化酶", "tryptophan hydroxylase", "TPH", 1.0)]
    plain = resolve_boundaries(context, [""])[0]
    stated = resolve_boundaries(context, [""], stated=[("色氨酸羥化酶", "", "TPH")])[0]
    chosen = next(o for o in stated if o.zh == "色氨酸羥化酶")
    assert chosen.features["stated_elsewhere"] == 1.0
    assert chosen.score > next(o for o in plain if o.zh == "色氨酸羥化酶").score


def test_the_glossary_pairs_win():
    context = [("其中血清降钙素原", "procalcitonin", "PCT", 1.0)]
    [options] = resolve_boundaries(context, [""], known=[("降钙素原", "procalcitonin")])
    assert options[0].zh == "降钙素原"
    assert "the glossary pairs it with this English" in options[0].reasons


def test_the_glossary_teaches_the_lexicon():
    text = "研究发现其瘦素受体（leptin receptor，LepR）升高。"
    [candidate] = [c for c in mine_texts([("a.txt", text)], known_pairs=[("瘦素", "leptin")]) if c.abbr == "LepR"]
    assert {"zh": "瘦素", "en": "leptin"} in candidate.evidence["lexicon"]
    assert candidate.zh == "瘦素受体"


def test_a_first_reading_teaches_the_second():
    # 缰核 is in no dictionary; the confident reading of 缰核 (habenula) teaches the lexicon,
    # which the second reading of the harder context uses
    text = "研究缰核（habenula）的功能。并激活内侧缰核（medial habenula，MHb）神经元。"
    found = {c.abbr or c.en: c.zh for c in mine_texts([("h.txt", text)])}
    assert found["habenula"] == "缰核"
    assert found["MHb"] == "内侧缰核"


def test_coordinated_headings_give_one_pair_each():
    text = "## 受精与著床 (Fertilization and Implantation)\n\n正文。"
    pairs = {(c.zh, c.en) for c in mine_texts([("h.md", text)])}
    assert ("受精", "Fertilization") in pairs and ("著床", "Implantation") in pairs
    assert not any(zh == "受精与著床" for zh, _ in pairs)


def test_a_body_named_with_and_stays_whole():
    text = "此项由美国食品与药物管理局（Food and Drug Administration，FDA）批准。"
    [fda] = [c for c in mine_texts([("f.txt", text)]) if c.abbr == "FDA"]
    # not cut at 与; 美国, which the English lacks, may go either way
    assert fda.zh in ("美国食品与药物管理局", "食品与药物管理局")


@pytest.mark.parametrize(
    ("zh", "en", "expected"),
    [
        ("雷帕霉素", "rapamycin", True),
        ("克罗恩", "Crohn", True),
        ("地塞米松", "dexamethasone", True),
        ("普鲁卡因", "procaine", True),
        ("多巴胺", "dopamine", True),
        ("睾丸", "seminiferous", False),
        ("血清", "serum", False),
        ("消化系统", "Crohn", False),
        ("缰核", "habenula", False),
    ],
)
def test_transliterations_are_heard(zh, en, expected):
    from glossary.mining.transliteration import sounds_like

    assert sounds_like(zh, en) is expected


def test_a_transliterated_name_stays_with_its_head():
    # 西罗莫司 is no dictionary word; it spells out sirolimus, so it belongs to the term
    assert best("抑制了西罗莫司靶蛋白", "target of sirolimus", "") == "西罗莫司靶蛋白"


def test_a_verb_and_its_complement_are_one_verb():
    from glossary.mining.words import Token, join_complements

    tokens = (Token("编制", "v", 500), Token("出", "v", 900), Token("量表", "n", 50))
    assert [t.word for t in join_complements(tokens)] == ["编制出", "量表"]
    assert best("研究人员编制出婴儿疼痛量表", "Infant Pain Scale", "IPS") == "婴儿疼痛量表"
