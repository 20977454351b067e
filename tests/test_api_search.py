"""The read endpoints: search, abbreviations, lookup, annotate, check — answers, errors, caching, CORS."""

from __future__ import annotations

import pytest

from .test_api_openapi import assert_conforms
from .test_search import add_sample_glossary


@pytest.fixture()
def glossary(db):
    return add_sample_glossary(db.session)


def test_search_answers_ranked_concepts(client, glossary):
    response = client.get("/api/v1/search", query_string={"q": "肾上腺"})
    assert response.status_code == 200
    assert_conforms(response, "/search")
    body = response.get_json()
    assert body["total"] == 3
    first = body["results"][0]
    assert first["concept"]["zh"] == "肾上腺素" and first["match"]["kind"] == "prefix"
    assert [r["match"]["kind"] for r in body["results"]] == ["prefix", "prefix", "substring"]


@pytest.mark.parametrize(
    ("query", "zh", "field"),
    [
        ("催產素", "催产素", "zh"),
        ("cui chan su", "催产素", "pinyin"),
        ("ccs", "催产素", "initials"),
        ("Oxytocin", "催产素", "en"),
        ("oxytocine", "催产素", "en"),
        ("nf-kb", "核因子κB", "abbr"),
    ],
)
def test_search_forms_through_the_api(client, glossary, query, zh, field):
    body = client.get("/api/v1/search", query_string={"q": query}).get_json()
    assert body["results"][0]["concept"]["zh"] == zh
    assert body["results"][0]["match"]["field"] == field


def test_concept_object_shape(client, glossary):
    concept = client.get("/api/v1/search?q=HPA").get_json()["results"][0]["concept"]
    assert concept == {
        "id": glossary["下丘脑-垂体-肾上腺轴"],
        "zh": "下丘脑-垂体-肾上腺轴",
        "zh_hant": "下丘腦-垂體-腎上腺軸",
        "pinyin": "xià qiū nǎo chuí tǐ shèn shàng xiàn zhóu",
        "en": "hypothalamic-pituitary-adrenal axis",
        "abbreviations": ["HPA"],
        "domain": "test",
        "definition": None,
        "terms": [
            {"lang": "zh", "text": "下丘脑-垂体-肾上腺轴", "kind": "full", "status": "preferred"},
            {"lang": "en", "text": "hypothalamic-pituitary-adrenal axis", "kind": "full", "status": "preferred"},
            {"lang": "en", "text": "HPA", "kind": "abbreviation", "status": "preferred"},
        ],
        "version": 1,
        "url": f"/concepts/{glossary['下丘脑-垂体-肾上腺轴']}",
    }


def test_search_paging_and_clamped_limit(client, glossary):
    body = client.get("/api/v1/search?q=肾上腺&limit=1&offset=2").get_json()
    assert [r["concept"]["zh"] for r in body["results"]] == ["下丘脑-垂体-肾上腺轴"] and body["total"] == 3
    response = client.get("/api/v1/search?q=肾上腺&limit=100000")
    assert response.status_code == 200 and len(response.get_json()["results"]) == 3


@pytest.mark.parametrize(
    "query_string",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "a", "lang": "fr"},
        {"q": "a", "limit": "0"},
        {"q": "a", "limit": "ten"},
        {"q": "a", "offset": "-1"},
        {"q": "a", "offset": "10001"},
        {"q": "a", "offset": "1.5"},
    ],
)
def test_search_bad_input_is_400(client, query_string):
    response = client.get("/api/v1/search", query_string=query_string)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
    assert_conforms(response, "/search")


def test_search_etag_and_304(client, glossary):
    response = client.get("/api/v1/search?q=HPA")
    etag = response.headers["ETag"]
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get("/api/v1/search?q=HPA", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert client.get("/api/v1/search?q=OT", headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/search?q=HPA"),
        ("GET", "/api/v1/abbreviations/HPA"),
        ("POST", "/api/v1/lookup"),
        ("POST", "/api/v1/annotate"),
        ("POST", "/api/v1/check"),
        ("GET", "/api/v1/concepts/1"),
    ],
)
def test_cors_on_reads_and_preflight(client, glossary, method, path):
    preflight = client.options(
        path,
        headers={
            "Origin": "https://editor.example",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert method in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    kwargs = {"json": {"terms": ["HPA"], "text": "HPA"}} if method == "POST" else {}
    response = client.open(path, method=method, headers={"Origin": "https://editor.example"}, **kwargs)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_no_cors_on_writes(client):
    response = client.options("/api/v1/concepts", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_abbreviation_expansions(client, glossary, db):
    from glossary.services.concepts import create_concept

    create_concept(
        db.session,
        {
            "terms": [
                {"text": "高血压相关蛋白"},
                {"text": "hypertension protein A"},
                {"text": "HPA", "kind": "abbreviation", "lang": "en", "count": 2},
            ]
        },
        None,
    )
    db.session.commit()
    response = client.get("/api/v1/abbreviations/HPA")
    assert_conforms(response, "/abbreviations/{abbr}")
    body = response.get_json()
    assert body["case_sensitive"] is True and body["total"] == 2
    first = body["results"][0]
    assert first["en"] == ["hypothalamic-pituitary-adrenal axis"] and first["zh"] == ["下丘脑-垂体-肾上腺轴"]
    assert first["count"] == 40
    assert response.headers["ETag"]


def test_abbreviation_case_insensitive_and_greek(client, glossary):
    body = client.get("/api/v1/abbreviations/nf-kb").get_json()
    assert body["case_sensitive"] is False
    assert body["results"][0]["concept"]["abbreviations"] == ["NF-κB"]
    assert client.get("/api/v1/abbreviations/IL-1β").get_json()["results"][0]["zh"] == ["白细胞介素-1β"]


def test_abbreviation_unknown_is_404(client, glossary):
    response = client.get("/api/v1/abbreviations/XYZQ")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert_conforms(response, "/abbreviations/{abbr}")
    assert client.get("/api/v1/abbreviations/" + "A" * 101).status_code == 400


def test_lookup_a_thousand_terms(client, glossary):
    terms = ["催產素", "OXYTOCIN", "short chain fatty acid", "nf-kb", "unknown term"] * 200
    response = client.post("/api/v1/lookup", json={"terms": terms})
    assert response.status_code == 200
    assert_conforms(response, "/lookup", "post")
    body = response.get_json()
    assert body["total"] == 1000 and len(body["results"]) == 1000
    found = [[c["zh"] for c in r["concepts"]] for r in body["results"][:5]]
    assert found == [["催产素"], ["催产素"], ["短链脂肪酸"], ["核因子κB"], []]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {"terms": ["a"] * 5001}}, 413),
        ({"json": {"terms": "HPA"}}, 400),
        ({"json": {"terms": [1, 2]}}, 400),
        ({"json": {}}, 400),
        ({"json": ["HPA"]}, 400),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": "terms=HPA", "content_type": "application/x-www-form-urlencoded"}, 400),
        ({"json": {"terms": ["x" * 501]}}, 400),
    ],
)
def test_lookup_bad_input(client, kwargs, status):
    response = client.post("/api/v1/lookup", **kwargs)
    assert response.status_code == status
    assert_conforms(response, "/lookup", "post")


def test_annotate_through_the_api(client, glossary):
    text = "😀催產素（oxytocin）作用于HPA轴"  # the emoji is one code point (two UTF-16 units)
    response = client.post("/api/v1/annotate", json={"text": text})
    assert_conforms(response, "/annotate", "post")
    results = response.get_json()["results"]
    assert [(r["start"], r["end"], r["text"]) for r in results] == [
        (1, 4, "催產素"),
        (5, 13, "oxytocin"),
        (17, 20, "HPA"),
    ]
    assert results[0]["translation"] == "oxytocin" and results[1]["translation"] == "催产素"
    assert results[2]["zh"] == "下丘脑-垂体-肾上腺轴"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/annotate", {"text": 5}, 400),
        ("/api/v1/annotate", {}, 400),
        ("/api/v1/annotate", {"text": "字" * 200_001}, 413),
        ("/api/v1/check", {"text": None}, 400),
        ("/api/v1/check", {"text": "a" * 200_001}, 413),
    ],
)
def test_text_endpoints_bad_input(client, path, body, status):
    response = client.post(path, json=body)
    assert response.status_code == status
    assert_conforms(response, path.removeprefix("/api/v1"), "post")


def test_check_through_the_api(client, glossary):
    draft = "HPA 升高。下丘脑-垂体-肾上腺轴（HPA）与应激有关，HPA 激活。"
    response = client.post("/api/v1/check", json={"text": draft})
    assert_conforms(response, "/check", "post")
    body = response.get_json()
    assert [i["kind"] for i in body["results"]] == ["used_before_definition"]
    assert body["results"][0]["start"] == 0 and body["total"] == 1


def test_cached_answers_follow_every_write(client, glossary, db):
    from glossary.services.concepts import update_concept

    assert client.get("/api/v1/search?q=HPA").get_json()["results"][0]["concept"]["domain"] == "test"
    update_concept(db.session, glossary["下丘脑-垂体-肾上腺轴"], {"domain": "stress"}, None, 1)
    db.session.commit()
    assert client.get("/api/v1/search?q=HPA").get_json()["results"][0]["concept"]["domain"] == "stress"


def test_an_answer_in_memory_opens_no_session(app, db, monkeypatch):
    from glossary.search import result_cache

    monkeypatch.setattr(result_cache, "STAMP_TTL", 3600)  # the stamp read once, then trusted
    opened = []

    def session():
        opened.append(1)
        return db.session

    computed = []
    for _ in range(3):
        assert (
            result_cache.remember(db.engine, session, ("test", 1), lambda: computed.append(1) or "answer") == "answer"
        )
    assert computed == [1] and opened == [1]  # computed once; only the first call read the stamp


def test_lookup_names_at_most_ten_concepts_a_term(client, db):
    from glossary.services.concepts import create_concept

    for i in range(12):
        create_concept(
            db.session,
            {"terms": [{"text": f"概念{i:02d}"}, {"text": "PD", "kind": "abbreviation", "lang": "en", "count": i}]},
            None,
        )
    db.session.commit()
    (result,) = client.post("/api/v1/lookup", json={"terms": ["pd"]}).get_json()["results"]
    assert result["total"] == 12 and len(result["concepts"]) == 10
    assert result["concepts"][0]["zh"] == "概念11"  # the most often seen first


def test_an_unknown_query_parameter_is_a_clear_400(client):
    response = client.get("/api/v1/search?q=催产素&lang=zh&limt=5")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and "limt" in error["message"] and "limit" in error["message"]
    assert client.get("/api/v1/search?q=催产素&limit=5").status_code == 200
