"""Legends that list abbreviations: ``ABBR：中文 English；…``."""

from glossary.mining.legends import legend_entries


def entries(text: str) -> list[tuple[str, str, str]]:
    return [(entry.abbr, entry.zh, entry.en) for entry in legend_entries(text)]


def test_each_entry_of_a_legend_is_a_pair():
    text = "注：HR：心率 heart rate；BP：血压 blood pressure；ECG：心电图 electrocardiogram。"
    assert entries(text) == [
        ("HR", "心率", "heart rate"),
        ("BP", "血压", "blood pressure"),
        ("ECG", "心电图", "electrocardiogram"),
    ]


def test_traditional_legend_with_half_width_colons():
    text = "GFR:腎小球濾過率 glomerular filtration rate;CKD:慢性腎病 chronic kidney disease"
    assert entries(text) == [
        ("GFR", "腎小球濾過率", "glomerular filtration rate"),
        ("CKD", "慢性腎病", "chronic kidney disease"),
    ]


def test_letters_and_numbers_after_the_chinese_belong_to_it():
    text = "PKG：蛋白激酶 G protein kinase G；IL：白细胞介素-2 interleukin-2"
    assert entries(text) == [("PKG", "蛋白激酶 G", "protein kinase G"), ("IL", "白细胞介素-2", "interleukin-2")]


def test_a_capital_glued_to_the_english_goes_back_to_the_chinese():
    text = "PKG：蛋白激酶Gprotein kinase G；CO：一氧化碳 carbon monoxide"
    assert entries(text)[0] == ("PKG", "蛋白激酶G", "protein kinase G")


def test_a_numbered_series_joined_by_a_slash_is_two_entries():
    text = "D1/D2：多巴胺受体 1/多巴胺受体 2 dopamine receptor 1/dopamine receptor 2；DA：多巴胺 dopamine"
    assert entries(text)[:2] == [
        ("D1", "多巴胺受体 1", "dopamine receptor 1"),
        ("D2", "多巴胺受体 2", "dopamine receptor 2"),
    ]


def test_two_names_of_one_thing_joined_by_a_slash_stay_one_entry():
    text = "ER/PR：雌激素受体/孕激素受体 estrogen receptor/progesterone receptor；DA：多巴胺 dopamine"
    assert entries(text)[0] == ("ER/PR", "雌激素受体/孕激素受体", "estrogen receptor/progesterone receptor")


def test_text_glued_before_the_first_entry_is_ignored():
    text = "酪氨酸↓TH多巴胺TH：酪氨酸羟化酶 tyrosine hydroxylase；DA：多巴胺 dopamine。"
    assert entries(text)[0] == ("TH", "酪氨酸羟化酶", "tyrosine hydroxylase")


def test_one_entry_alone_is_no_legend():
    assert entries("结论：本研究 supports the idea") == []
    assert entries("HR：心率 heart rate") == []


def test_an_english_that_does_not_name_the_abbreviation_is_refused():
    text = "HR：心率 blood flow；BP：血压 blood pressure；ECG：心电图 electrocardiogram"
    assert [entry[0] for entry in entries(text)] == ["BP", "ECG"]


def test_entries_separated_by_commas():
    text = "注：HR：心率 heart rate，BP：血压 blood pressure。"
    assert entries(text) == [("HR", "心率", "heart rate"), ("BP", "血压", "blood pressure")]
