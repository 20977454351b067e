"""The queries translators type: abbreviation prefixes, Greek letters spelled out, Chinese without
hyphens or middle dots, queries that contain glossary terms, and typo matching in lookup.

Through the service, the JSON API and the search page, on whichever database the suite runs on.
"""

from __future__ import annotations

import pytest

from glossary.extensions import db as _db
from glossary.search import lookup_terms, search_concepts
from glossary.services.concepts import create_concept

from .test_api_openapi import assert_conforms

# Invented entries shaped like the ones translators look up: (zh, en, abbreviation, count).
ENTRIES = [
    ("肿瘤坏死因子-α", "tumour necrosis factor-α", "TNF-α", 30),
    ("肿瘤坏死因子受体", "tumour necrosis factor receptor", "TNFR", 5),
    ("白细胞介素-1β", "interleukin-1β", "IL-1β", 20),
    ("白细胞介素-10", "interleukin-10", "IL-10", 4),
    ("核因子κB", "nuclear factor kappa-B", "NF-κB", 25),
    ("干扰素-γ", "interferon gamma", "IFN-gamma", 8),
    ("肠-脑轴", "gut-brain axis", None, 12),
    ("5-羟色胺", "5-hydroxytryptamine", "5-HT", 40),
    ("下丘脑-垂体-肾上腺轴", "hypothalamic-pituitary-adrenal axis", "HPA", 35),
    ("催产素", "oxytocin", "OT", 50),
    ("褪黑素·受体", "melatonin receptor", "MTNR", 3),
]


@pytest.fixture()
def entries(db):
    ids = {}
    for zh, en, abbr, count in ENTRIES:
        terms = [{"lang": "zh", "text": zh, "count": count}, {"lang": "en", "text": en, "count": count}]
        if abbr:
            terms.append({"lang": "en", "text": abbr, "kind": "abbreviation", "count": count})
        ids[zh] = create_concept(db.session, {"terms": terms, "domain": "test"}, None).id
    db.session.commit()
    return ids


def hits(query: str) -> list[tuple[int, str, str]]:
    """(concept id, match kind, matched term) of every result."""
    page = search_concepts(_db.session, query, limit=50)
    return [(h.concept.id, h.match_kind, h.matched_term.text) for h in page.results]


@pytest.mark.parametrize(
    ("query", "zh", "term"),
    [
        ("TNF", "肿瘤坏死因子-α", "TNF-α"),
        ("tnf", "肿瘤坏死因子-α", "TNF-α"),
        ("IL-1", "白细胞介素-1β", "IL-1β"),
        ("NF-k", "核因子κB", "NF-κB"),
    ],
)
def test_abbreviation_prefixes(entries, query, zh, term):
    found = hits(query)
    assert (entries[zh], "prefix", term) in found
    # Only abbreviations that start so: TNFR does, HPA does not.
    assert entries["下丘脑-垂体-肾上腺轴"] not in [f[0] for f in found]


def test_abbreviation_prefix_ranks_the_shorter_and_more_seen_first(entries):
    assert [f[0] for f in hits("TNF")][:2] == [entries["肿瘤坏死因子-α"], entries["肿瘤坏死因子受体"]]
    found = [f[0] for f in hits("IL-1")]
    assert found.index(entries["白细胞介素-1β"]) < found.index(entries["白细胞介素-10"])


@pytest.mark.parametrize(
    ("query", "zh"),
    [
        ("tnf-alpha", "肿瘤坏死因子-α"),
        ("TNF alpha", "肿瘤坏死因子-α"),
        ("tumour necrosis factor alpha", "肿瘤坏死因子-α"),
        ("interleukin 1 beta", "白细胞介素-1β"),
        ("interleukin-1 beta", "白细胞介素-1β"),
        ("IL-1beta", "白细胞介素-1β"),
        ("NF-kappaB", "核因子κB"),
        ("nuclear factor κB", "核因子κB"),
        ("interferon γ", "干扰素-γ"),
        ("IFN-γ", "干扰素-γ"),
    ],
)
def test_greek_letters_spelled_out_either_way(entries, query, zh):
    found = hits(query)
    assert found, f"nothing for {query!r}"
    assert found[0][:2] == (entries[zh], "exact")


def test_a_greek_name_inside_a_word_is_not_a_letter(entries):
    # "betaine" is not "β-ine"; nothing in the glossary is either.
    assert hits("betaine") == []


@pytest.mark.parametrize(
    ("query", "zh"),
    [
        ("肠脑轴", "肠-脑轴"),
        ("肠 脑轴", "肠-脑轴"),
        ("肠—脑轴", "肠-脑轴"),
        ("5羟色胺", "5-羟色胺"),
        ("下丘脑垂体肾上腺轴", "下丘脑-垂体-肾上腺轴"),
        ("下丘脑·垂体·肾上腺轴", "下丘脑-垂体-肾上腺轴"),
        ("褪黑素受体", "褪黑素·受体"),
        ("腸腦軸", "肠-脑轴"),
    ],
)
def test_chinese_ignoring_hyphens_dashes_spaces_and_middle_dots(entries, query, zh):
    found = hits(query)
    assert found and found[0][:2] == (entries[zh], "exact")


def test_chinese_prefix_and_substring_across_separators(entries):
    assert (entries["下丘脑-垂体-肾上腺轴"], "prefix", "下丘脑-垂体-肾上腺轴") in hits("下丘脑垂体")
    assert (entries["下丘脑-垂体-肾上腺轴"], "substring", "下丘脑-垂体-肾上腺轴") in hits("丘脑垂体肾")
    assert (entries["下丘脑-垂体-肾上腺轴"], "substring", "下丘脑-垂体-肾上腺轴") in hits("脑垂")
    assert [f[0] for f in hits("羟色")] == [entries["5-羟色胺"]]


@pytest.mark.parametrize(
    ("query", "parts"),
    [
        ("催产素受体", ["催产素"]),
        ("oxytocin receptor", ["oxytocin"]),
        ("HPA axis", ["HPA"]),
        ("催产素与5-羟色胺", ["催产素", "5-羟色胺"]),
    ],
)
def test_terms_found_inside_the_query(entries, query, parts):
    page = search_concepts(_db.session, query)
    assert [p["term"] for p in page.in_query] == parts
    for part in page.in_query:
        assert part["url"] == f"/concepts/{part['concept_id']}"


def test_inside_the_query_leaves_out_the_direct_hits_and_lowercase_words(entries):
    # The whole query is a term: its concept is a direct hit, not repeated underneath.
    page = search_concepts(_db.session, "melatonin receptor")
    assert [h.concept.id for h in page.results] == [entries["褪黑素·受体"]]
    assert entries["褪黑素·受体"] not in [p["concept_id"] for p in page.in_query]
    # "ot" typed in lower case inside English is a word, not the abbreviation OT.
    assert search_concepts(_db.session, "hot ot water").in_query == []


def test_inside_the_query_a_name_many_concepts_share_names_the_most_seen(db):
    """More concepts than one part's rows share the name: the one seen most is named (the first
    created among those seen as often), read from the key's most seen terms, not all of them."""
    ids = [
        create_concept(
            db.session, {"terms": [{"lang": "en", "text": "zorbex", "count": n % 7}], "domain": "test"}, None
        ).id
        for n in range(45)
    ]
    db.session.commit()
    page = search_concepts(_db.session, "zorbex receptor")
    assert [(p["term"], p["concept_id"]) for p in page.in_query] == [("zorbex", ids[6])]


def test_search_api_lists_terms_inside_the_query(client, entries):
    response = client.get("/api/v1/search", query_string={"q": "催产素受体"})
    assert response.status_code == 200
    assert_conforms(response, "/search")
    body = response.get_json()
    assert body["total"] == 0
    assert [(p["text"], p["zh"], p["en"]) for p in body["in_query"]] == [("催产素", "催产素", "oxytocin")]
    body = client.get("/api/v1/search", query_string={"q": "HPA axis"}).get_json()
    assert [p["concept_id"] for p in body["in_query"]] == [entries["下丘脑-垂体-肾上腺轴"]]


def test_search_page_shows_terms_inside_the_query(client, entries):
    html = client.get("/", query_string={"q": "HPA axis"}).get_data(as_text=True)
    assert "In your query:" in html
    assert f'href="/concepts/{entries["下丘脑-垂体-肾上腺轴"]}"' in html


def test_search_api_finds_the_new_forms(client, entries):
    for query, zh in (("tnf-alpha", "肿瘤坏死因子-α"), ("肠脑轴", "肠-脑轴"), ("IL-1", "白细胞介素-1β")):
        response = client.get("/api/v1/search", query_string={"q": query})
        assert_conforms(response, "/search")
        assert response.get_json()["results"][0]["concept"]["id"] == entries[zh]


def test_lookup_typo_matching_only_when_asked(client, entries):
    terms = ["oxytocine", "hydroxytryptamin", "催产素", "qqqqzzzz"]
    plain = client.post("/api/v1/lookup", json={"terms": terms}).get_json()
    assert [r["total"] for r in plain["results"]] == [0, 0, 1, 0]
    assert all("fuzzy" not in r for r in plain["results"])
    response = client.post("/api/v1/lookup", json={"terms": terms, "fuzzy": True})
    assert response.status_code == 200
    assert_conforms(response, "/lookup", "post")
    results = response.get_json()["results"]
    assert [r["concepts"][0]["id"] if r["concepts"] else None for r in results] == [
        entries["催产素"],
        entries["5-羟色胺"],
        entries["催产素"],
        None,
    ]
    assert [r["fuzzy"] for r in results] == [True, True, False, False]


@pytest.mark.parametrize("fuzzy", ["yes", 1, None])
def test_lookup_refuses_a_fuzzy_that_is_not_a_boolean(client, entries, fuzzy):
    response = client.post("/api/v1/lookup", json={"terms": ["oxytocine"], "fuzzy": fuzzy})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_lookup_batch_finds_every_key_form_in_one_go(entries, db):
    answers = lookup_terms(db.session, ["TNF-α", "tnfα", "腫瘤壞死因子-α", "Gut-Brain Axis", "", "5-HT"] * 300)
    assert [a["total"] for a in answers[:6]] == [1, 1, 1, 1, 0, 1]
    assert len(answers) == 1800 and answers[1803 - 1800]["concepts"][0].id == entries["肠-脑轴"]


def test_lookup_ranks_a_shared_key_by_how_often_each_concept_was_seen(db):
    """Fourteen concepts share the abbreviation QX and one also has qx as an English name: the answer
    names the ten seen most (the larger count of a concept's two matching terms) and counts all fourteen once."""
    ids = []
    for n in range(14):
        terms = [
            {"lang": "zh", "text": f"测试物质{n}", "count": 1},
            {"lang": "en", "text": f"test substance {n}", "count": 1},
            {"lang": "en", "text": "QX", "kind": "abbreviation", "count": n},
        ]
        if n == 0:
            terms.append({"lang": "en", "text": "qx", "kind": "variant", "count": 100})
        ids.append(create_concept(db.session, {"terms": terms}, None).id)
    db.session.commit()
    (answer,) = lookup_terms(db.session, ["QX"])
    assert answer["total"] == 14
    assert [c.id for c in answer["concepts"]] == [ids[0], *reversed(ids[4 : 13 + 1])][:10]
    (chinese,) = lookup_terms(db.session, ["测试物质3"])
    assert chinese["total"] == 1 and chinese["concepts"][0].id == ids[3]
