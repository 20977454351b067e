"""Candidates: end to end on invented articles; merging, sources, alternatives, to_dict."""

import json

from glossary.mining import Candidate, mine_files, mine_texts

ARTICLE = (
    "研究发现，心房颤动（atrial fibrillation，AF）是最常见的心律失常。\n"
    "抗凝治疗可降低心房颤\n\n动（atrial fibrillation，AF）患者的卒中风险[3]。\n"
    "同时检测了丙氨酸氨基转移酶（ALT）与天冬氨酸氨基转移酶（AST）。\n"
    "此外，reactive oxygen species (ROS) increase.\n"
)
TRADITIONAL = "研究者觀察了腫瘤壞死因子-α（tumor necrosis factor-α，TNF-α）的變化。"
SIMPLIFIED = "此外，肿瘤坏死因子-α（tumor necrosis factor-α，TNF-α）水平升高。"


def by_abbr(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {candidate.abbr: candidate for candidate in candidates if candidate.abbr}


def test_pairs_and_abbreviations_from_an_article():
    found = by_abbr(mine_texts([("a.txt", ARTICLE)]))
    assert (found["AF"].zh, found["AF"].en) == ("心房颤动", "atrial fibrillation")
    assert (found["ALT"].zh, found["ALT"].en) == ("丙氨酸氨基转移酶", "")
    assert (found["AST"].zh, found["AST"].en) == ("天冬氨酸氨基转移酶", "")
    assert (found["ROS"].zh, found["ROS"].en) == ("", "reactive oxygen species")


def test_repeated_definition_is_merged_with_both_sources():
    af = by_abbr(mine_texts([("a.txt", ARTICLE)]))["AF"]
    assert af.count == 2
    assert len(af.sources) == 2
    assert 0 < af.confidence <= 1


def test_sources_point_into_the_original_text():
    for candidate in mine_texts([("a.txt", ARTICLE)]):
        for source in candidate.sources:
            assert source["file"] == "a.txt"
            assert 0 <= source["start"] < source["end"] <= len(ARTICLE)
            assert source["sentence"]
    af = by_abbr(mine_texts([("a.txt", ARTICLE)]))["AF"]
    spans = [ARTICLE[s["start"] : s["end"]] for s in af.sources]
    assert spans[0] == "心房颤动（atrial fibrillation，AF）"
    assert spans[1] == "心房颤\n\n动（atrial fibrillation，AF）"


def test_traditional_and_simplified_merge_across_documents():
    candidates = mine_texts([("hant.txt", TRADITIONAL), ("hans.txt", SIMPLIFIED)])
    tnf = [c for c in candidates if c.abbr == "TNF-α"]
    assert len(tnf) == 1
    assert tnf[0].count == 2
    assert tnf[0].zh in ("腫瘤壞死因子-α", "肿瘤坏死因子-α")
    assert {s["file"] for s in tnf[0].sources} == {"hant.txt", "hans.txt"}


def test_abbreviation_only_mention_joins_the_full_candidate():
    docs = [("one.txt", "此外，降钙素原（PCT）升高。"), ("two.txt", "检测降钙素原（procalcitonin，PCT）是感染指标。")]
    pct = [c for c in mine_texts(docs) if c.abbr == "PCT"]
    assert len(pct) == 1
    assert (pct[0].zh, pct[0].en, pct[0].count) == ("降钙素原", "procalcitonin", 2)


def test_keyword_pair_joins_the_defined_pair():
    text = "关键词：心房颤动；卒中\nKey words: atrial fibrillation; stroke\n心房颤动（atrial fibrillation，AF）常见。"
    candidates = mine_texts([("k.txt", text)])
    assert [(c.zh, c.en, c.abbr) for c in candidates if c.zh == "心房颤动"] == [
        ("心房颤动", "atrial fibrillation", "AF")
    ]
    assert ("卒中", "stroke", "") in [(c.zh, c.en, c.abbr) for c in candidates]


def test_term_continuing_after_the_bracket_is_an_alternative():
    text = "应激可激活下丘脑-垂体-性腺（hypothalamic-pituitary-gonadal，HPG）轴。"
    [hpg] = mine_texts([("h.txt", text)])
    assert hpg.zh == "下丘脑-垂体-性腺"
    assert {"zh": "下丘脑-垂体-性腺轴", "en": "hypothalamic-pituitary-gonadal axis"}.items() <= next(
        a for a in hpg.alternatives if a["zh"].endswith("轴")
    ).items()


def test_to_dict_is_json_ready_with_empty_strings_for_absent_parts():
    [ros] = mine_texts([("r.txt", "levels of reactive oxygen species (ROS) rose")])
    data = ros.to_dict()
    assert set(data) == {"zh", "en", "abbr", "confidence", "count", "sources", "alternatives", "evidence"}
    assert data["zh"] == ""
    json.dumps(data, ensure_ascii=False)


def test_mine_files_reads_each_encoding(tmp_path):
    (tmp_path / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes("血清C反應蛋白（C-reactive protein，CRP）升高。".encode("big5"))
    (tmp_path / "u16.txt").write_bytes("此外，白细胞介素-6（interleukin-6，IL-6）升高。".encode("utf-16"))
    found = by_abbr(mine_files(sorted(tmp_path.iterdir())))
    assert found["TNF-α"].zh == "肿瘤坏死因子-α"
    assert found["CRP"].zh == "C反應蛋白"
    assert found["IL-6"].zh == "白细胞介素-6"


def test_empty_and_plain_texts_give_no_candidates():
    assert mine_texts([]) == []
    assert mine_texts([("e.txt", "")]) == []
    assert mine_texts([("p.txt", "这是一段没有任何括号的普通文字。")]) == []


def test_an_abbreviation_alone_with_an_unsure_start_is_not_proposed():
    # No weights: every start of the Chinese is as likely as any other.
    text = "研究发现小鼠肠道上皮屏障蛋白（QBP）升高，而上皮屏障蛋白（epithelial barrier protein）仍不清楚。"
    unsure = mine_texts([("t.txt", text)], weights={})
    assert [c.abbr for c in unsure if c.abbr] == []  # a guess at where 屏障蛋白's name starts is not worth proposing
    assert any(c.en == "epithelial barrier protein" for c in unsure)  # with English it is still proposed
    # With the shipped weights a clear start is proposed.
    sure = mine_texts([("t.txt", "。上皮屏障蛋白（QBP）升高。")])
    assert [(c.zh, c.abbr) for c in sure] == [("上皮屏障蛋白", "QBP")]
