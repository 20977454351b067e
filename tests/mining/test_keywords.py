"""Keyword lines: aligned lists pair item by item, once the converter's damage is repaired."""

from glossary.mining import clean_text
from glossary.mining.extract import find_mentions
from glossary.mining.keywords import pair_keywords


def keyword_pairs(text: str) -> list[tuple[str, str]]:
    return [(m.zh, m.en) for m in find_mentions(0, clean_text(text)) if m.kind == "keywords"]


def test_keyword_lines_pair_in_order():
    text = "关键词：心房颤动；抗凝治疗；卒中\nKey words: atrial fibrillation; anticoagulation; stroke\n"
    assert keyword_pairs(text) == [
        ("心房颤动", "atrial fibrillation"),
        ("抗凝治疗", "anticoagulation"),
        ("卒中", "stroke"),
    ]


def test_traditional_keyword_lines_with_brackets_label():
    text = "【關鍵詞】 慢性阻塞性肺病；預後\n【Key words】 chronic obstructive pulmonary disease; prognosis\n"
    assert keyword_pairs(text) == [
        ("慢性阻塞性肺病", "chronic obstructive pulmonary disease"),
        ("預後", "prognosis"),
    ]


def test_keyword_lines_with_different_counts_give_nothing():
    assert keyword_pairs("关键词：甲；乙；丙\nKeywords: alpha; beta\n") == []


def test_front_matter_glued_after_the_last_item_is_cut_off():
    text = (
        "关键词：水稻，镉胁迫，转运蛋白中图分类号：Q945 文献标识码：A\nKey words: rice, cadmium stress, transporter\n"
    )
    assert keyword_pairs(text)[-1] == ("转运蛋白", "transporter")
    text = "关键词：睡眠；焦虑DOI：10.1234/abc\nKeywords: sleep; anxiety\n"
    assert keyword_pairs(text) == [("睡眠", "sleep"), ("焦虑", "anxiety")]


def test_english_items_glued_without_a_space_are_split():
    text = "关键词：骨质疏松；骨密度；综述\nKey words: osteoporosis; Bone densityReview\n"
    assert keyword_pairs(text) == [("骨质疏松", "osteoporosis"), ("骨密度", "Bone density"), ("综述", "Review")]


def test_lost_separators_are_restored_where_the_article_confirms_the_pieces():
    article = (
        "关键词：儿童焦虑睡眠质量\n"
        "Key words: Child anxiety Sleep quality\n"
        "儿童焦虑常见。儿童焦虑与睡眠质量有关，睡眠质量可以改善。\n"
    )
    assert keyword_pairs(article) == [("儿童焦虑", "Child anxiety"), ("睡眠质量", "Sleep quality")]


def test_glued_chinese_items_without_evidence_stay_unpaired():
    assert pair_keywords(["儿童焦虑睡眠质量"], ["Child anxiety", "Sleep quality"], "无关的正文。") == []
