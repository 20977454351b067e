"""search_concepts: every query form, the ranking, traditional script, pinyin variants, fuzzy, abbreviations."""

from __future__ import annotations

import pytest

from glossary.extensions import db as _db
from glossary.search import parse_query, search_concepts
from glossary.search.query import toneless_pinyin
from glossary.services.concepts import create_concept, delete_concept

# (zh, en, abbreviation, count, extra terms): a small glossary with the shapes search must handle.
SAMPLE = [
    ("催产素", "oxytocin", "OT", 50, []),
    ("催产素受体", "oxytocin receptor", "OXTR", 90, []),
    ("下丘脑-垂体-肾上腺轴", "hypothalamic-pituitary-adrenal axis", "HPA", 40, []),
    (
        "肾上腺素",
        "adrenaline",
        None,
        30,
        [{"lang": "en", "text": "epinephrine", "kind": "variant", "status": "admitted"}],
    ),
    ("肾上腺皮质", "adrenal cortex", None, 5, []),
    ("核因子κB", "nuclear factor kappa B", "NF-κB", 20, []),
    ("白细胞介素-1β", "interleukin-1 beta", "IL-1β", 10, []),
    ("短链脂肪酸", "short-chain fatty acid", "SCFAs", 60, []),
    ("毛螺菌科", "Lachnospiraceae", None, 3, []),
    ("皮质醇", "cortisol", None, 1, []),
    (
        "氢化可的松",
        "hydrocortisone",
        None,
        99,
        [{"lang": "en", "text": "cortisol", "kind": "variant", "status": "admitted"}],
    ),
    ("绿脓杆菌", "Pseudomonas aeruginosa", None, 2, []),
]


def add_sample_glossary(session) -> dict[str, int]:
    """Create SAMPLE through the service; returns concept ids by Chinese name."""
    ids = {}
    for zh, en, abbr, count, extra in SAMPLE:
        terms = [{"lang": "zh", "text": zh, "count": count}, {"lang": "en", "text": en, "count": count}]
        if abbr:
            terms.append({"lang": "en", "text": abbr, "kind": "abbreviation", "count": count})
        concept = create_concept(session, {"terms": terms + extra, "domain": "test"}, None)
        ids[zh] = concept.id
    session.commit()
    return ids


@pytest.fixture()
def glossary(db):
    return add_sample_glossary(db.session)


def names(query: str, **kwargs) -> list[str]:
    page = search_concepts(_db.session, query, **kwargs)
    return [h.concept.terms_of("zh")[0].text for h in page.results]


def first(query: str, **kwargs):
    page = search_concepts(_db.session, query, **kwargs)
    assert page.results, f"nothing found for {query!r}"
    return page.results[0]


@pytest.mark.parametrize("query", ["催产素", "催產素"])
def test_chinese_exact_in_either_script(glossary, query):
    hit = first(query)
    assert hit.concept.id == glossary["催产素"]
    assert (hit.match_kind, hit.field, hit.matched_term.text) == ("exact", "zh", "催产素")


def test_chinese_prefix_and_substring(glossary):
    found = names("肾上腺")
    assert found == ["肾上腺素", "肾上腺皮质", "下丘脑-垂体-肾上腺轴"]
    kinds = [h.match_kind for h in search_concepts(_db.session, "肾上腺").results]
    assert kinds == ["prefix", "prefix", "substring"]


def test_traditional_substring(glossary):
    assert names("腎上腺") == ["肾上腺素", "肾上腺皮质", "下丘脑-垂体-肾上腺轴"]
    assert names("垂體") == ["下丘脑-垂体-肾上腺轴"]


@pytest.mark.parametrize("query", ["cuichansu", "cui chan su", "cuī chǎn sù", "cui1chan3su4", "CuiChanSu", "ccs"])
def test_pinyin_forms(glossary, query):
    hit = first(query)
    assert hit.concept.id == glossary["催产素"]
    assert hit.match_kind == "exact"
    assert hit.field in ("pinyin", "initials")


def test_pinyin_prefix_and_u_umlaut(glossary):
    # Both are prefix matches: the one seen more often comes first.
    assert names("cuichan") == ["催产素受体", "催产素"]
    assert toneless_pinyin("lǜ nóng") == "lvnong"
    assert toneless_pinyin("lu:4nong2") == "lvnong"
    assert names("lǜ nóng gǎn jūn") == ["绿脓杆菌"]


@pytest.mark.parametrize("query", ["oxytocin", "OXYTOCIN", "Oxytocin"])
def test_english_exact_ignores_case(glossary, query):
    hit = first(query)
    assert hit.concept.id == glossary["催产素"] and hit.match_kind == "exact" and hit.field == "en"


@pytest.mark.parametrize("query", ["short-chain fatty acid", "short chain fatty acid", "Short–Chain Fatty Acid"])
def test_english_hyphen_and_space_variants_are_equal(glossary, query):
    hit = first(query)
    assert hit.concept.id == glossary["短链脂肪酸"] and hit.match_kind == "exact"


def test_english_prefix_and_word_prefix(glossary):
    assert first("interleu").match_kind == "prefix"
    hit = first("fatty ac")
    assert hit.concept.id == glossary["短链脂肪酸"] and hit.match_kind == "word_prefix"
    assert names("pituitary") == ["下丘脑-垂体-肾上腺轴"]


@pytest.mark.parametrize(
    ("query", "zh"),
    [
        ("oxytocine", "催产素"),
        ("Lachnospiraceea", "毛螺菌科"),
        ("Lachnospirceae", "毛螺菌科"),
        ("hydrocortisonne", "氢化可的松"),
        ("pseudomonas aeruginossa", "绿脓杆菌"),
    ],
)
def test_fuzzy_english(glossary, query, zh):
    hit = first(query)
    assert hit.concept.id == glossary[zh]
    assert hit.match_kind == "fuzzy"
    assert 0 < hit.score < 1


def test_fuzzy_runs_only_when_nothing_else_matched(glossary):
    assert [h.match_kind for h in search_concepts(_db.session, "oxytocin").results] == ["exact", "prefix"]


@pytest.mark.parametrize(
    ("query", "zh"),
    [
        ("HPA", "下丘脑-垂体-肾上腺轴"),
        ("hpa", "下丘脑-垂体-肾上腺轴"),
        ("NF-κB", "核因子κB"),
        ("nf-kb", "核因子κB"),
        ("NFKB", "核因子κB"),
        ("IL-1β", "白细胞介素-1β"),
        ("il-1b", "白细胞介素-1β"),
        ("SCFAs", "短链脂肪酸"),
        ("SCFA", "短链脂肪酸"),
    ],
)
def test_abbreviations(glossary, query, zh):
    hit = first(query)
    assert hit.concept.id == glossary[zh]
    assert hit.match_kind == "exact" and hit.field == "abbr"


def test_abbreviation_as_written_ranks_before_folded(db):
    sensitive = create_concept(
        db.session,
        {"terms": [{"text": "PD-1", "kind": "abbreviation", "lang": "en"}, {"text": "程序性死亡受体1"}]},
        None,
    )
    folded = create_concept(
        db.session,
        {"terms": [{"text": "pd1", "kind": "abbreviation", "lang": "en", "count": 100}, {"text": "假想概念"}]},
        None,
    )
    db.session.commit()
    ids = [h.concept.id for h in search_concepts(db.session, "PD-1").results]
    assert ids == [sensitive.id, folded.id]


def test_ranking_exact_before_prefix_even_when_seen_less(glossary):
    # 催产素受体 was seen more often, but 催产素 matches exactly.
    assert names("催产素") == ["催产素", "催产素受体"]


def test_ranking_preferred_before_admitted_then_count(glossary):
    hits = search_concepts(_db.session, "cortisol").results
    assert [h.concept.id for h in hits][:2] == [glossary["皮质醇"], glossary["氢化可的松"]]
    assert hits[1].matched_term.status == "admitted"


def test_paging_and_total(glossary):
    page = search_concepts(_db.session, "肾上腺", limit=1, offset=1)
    assert page.total == 3
    assert [h.concept.terms_of("zh")[0].text for h in page.results] == ["肾上腺皮质"]
    assert search_concepts(_db.session, "肾上腺", limit=5, offset=10).results == []


def test_lang_filter(glossary):
    assert names("ccs", lang="en") == []
    assert names("ccs", lang="pinyin") == ["催产素"]  # initials match exactly, not as a prefix
    assert names("HPA", lang="abbr") == ["下丘脑-垂体-肾上腺轴"]
    assert names("催产素", lang="en") == []


def test_empty_and_unknown_queries(glossary):
    assert search_concepts(_db.session, "   ").total == 0
    assert search_concepts(_db.session, "zzzzqqq").total == 0
    assert search_concepts(_db.session, "%_\\").total == 0


def test_new_and_deleted_terms_are_seen_at_once(glossary, db):
    assert names("垂体后叶") == []
    create_concept(db.session, {"terms": [{"text": "神经垂体后叶"}, {"text": "posterior pituitary"}]}, None)
    db.session.commit()
    assert names("垂体后叶") == ["神经垂体后叶"]
    assert names("posterior pit") == ["神经垂体后叶"]
    delete_concept(db.session, glossary["毛螺菌科"], None)
    db.session.commit()
    assert names("螺菌") == []
    assert names("Lachnospiraceea") == []


def test_parse_query_keys():
    keys = parse_query("NF-κB")
    assert keys.abbr == "nfkb" and keys.abbr_text == "NF-κB" and keys.en == "nf κb"
    assert parse_query("催產素").zh == "催产素"
    assert parse_query("cui1 chan3 su4").pinyin == "cuichansu"
    assert parse_query("x" * 500).text == "x" * 200


def test_a_deleted_newest_concept_leaves_no_trace_in_search(glossary, db):
    # The search structures forget a deleted concept in the same transaction; the next one is found at once.
    newest = create_concept(db.session, {"terms": [{"text": "褪黑素"}, {"text": "melatonin hormone"}]}, None)
    db.session.commit()
    assert names("黑素") == ["褪黑素"] and names("hormone") == ["褪黑素"]
    delete_concept(db.session, newest.id, None)
    db.session.commit()
    create_concept(db.session, {"terms": [{"text": "视交叉上核"}, {"text": "suprachiasmatic nucleus"}]}, None)
    db.session.commit()
    assert names("黑素") == [] and names("hormone") == []
    assert names("交叉上") == ["视交叉上核"] and names("nucleus") == ["视交叉上核"]
