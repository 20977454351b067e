"""Every bad input the hardening issue lists, over real HTTP: the right 4xx with a
JSON error, and the database unchanged (or, for legacy encodings, read correctly)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from glossary.models import Candidate, Concept, Evidence, Revision, Source, Term
from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

ARTICLE = "慢性应激激活下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴。"
ARTICLE_HANT = "慢性應激激活下視丘-垂體-腎上腺（hypothalamic-pituitary-adrenal，HPA）軸。"


@pytest.fixture()
def token(db):
    user = create_user(db.session, "cora", "long-password", "curator")
    plain, _ = create_token(db.session, user, "test")
    create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, user)
    db.session.commit()
    return plain


def snapshot(db) -> dict[str, int]:
    db.session.rollback()
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Concept, Term, Source, Evidence, Candidate, Revision)
    }


def upload(client, token, data: bytes, name: str):
    return client.post(
        "/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        data={"files": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def assert_api_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (ARTICLE.encode() + b"\xff\xfe\xfd" * 50 + ARTICLE.encode(), "no encoding"),
        (b"%PDF-1.7\n" + b"x" * 100, "PDF"),
    ],
)
def test_unreadable_uploads_are_refused_and_store_nothing(client, db, token, data, why):
    before = snapshot(db)
    error = assert_api_error(upload(client, token, data, "article.txt"), 422)
    assert "article.txt" in error["message"] and why.lower() in error["message"].lower()
    assert snapshot(db) == before


def test_upload_over_the_limit_is_413(make_app, db):
    app = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    with app.app_context():
        user = create_user(db.session, "cora", "long-password", "curator")
        plain, _ = create_token(db.session, user, "test")
        db.session.commit()
    before = snapshot(db)
    error = assert_api_error(upload(app.test_client(), plain, ARTICLE.encode() * 2000, "big.txt"), 413)
    assert "limit" in error["message"]
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "data",
    [ARTICLE.encode("gb18030"), ARTICLE_HANT.encode("big5"), ARTICLE.encode("utf-16"), ARTICLE.encode("utf-8-sig")],
    ids=["gb18030", "big5", "utf-16", "utf-8-bom"],
)
def test_legacy_and_unicode_encodings_are_read(client, db, token, data):
    response = upload(client, token, data, "article.txt")
    assert response.status_code == 200, response.get_data(as_text=True)
    candidate = db.session.scalar(select(Candidate).where(Candidate.abbr == "HPA"))
    assert candidate.en == "hypothalamic-pituitary-adrenal"
    assert candidate.zh.endswith(("垂体-肾上腺", "垂體-腎上腺"))  # decoded as Chinese, not mojibake


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "a/b/c.txt", "..\\..\\windows\\x.txt", "/abs/path.txt"])
def test_file_names_with_paths_are_reduced_to_a_base_name(client, db, token, name):
    response = upload(client, token, ARTICLE.encode(), name)
    assert response.status_code == 200
    stored = db.session.scalar(select(Source.filename))
    assert "/" not in stored and "\\" not in stored and not stored.startswith(".") and stored.endswith(".txt")


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"terms": ["催产素"', "application/json"),  # malformed
        ('["催产素"]', "application/json"),  # not an object
        ('{"terms": ' + "[" * 50_000 + "]" * 50_000 + "}", "application/json"),  # deeply nested
        ('{"terms": ["\udcff"]}'.encode("utf-8", "surrogatepass"), "application/json"),  # invalid UTF-8 bytes
        (b'{"terms": ["\xff\xfe"]}', "application/json"),  # invalid UTF-8 bytes
        ('{"terms": ["\\udcff"]}', "application/json"),  # an escaped lone surrogate
        ('{"terms": ["催产素"]}', "text/plain"),  # wrong media type
    ],
)
def test_bad_json_bodies_are_400(client, db, token, body, content_type):
    before = snapshot(db)
    for path in ("/api/v1/lookup", "/api/v1/annotate", "/api/v1/check", "/api/v1/concepts"):
        response = client.post(path, data=body, content_type=content_type, headers={"Authorization": f"Bearer {token}"})
        assert_api_error(response, 400)
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "path, body, status",
    [
        ("/api/v1/lookup", {"terms": "催产素"}, 400),  # wrong type
        ("/api/v1/lookup", {}, 400),  # missing field
        ("/api/v1/lookup", {"terms": ["x"] * 100_000}, 413),  # over the documented limit
        ("/api/v1/lookup", {"terms": [1, None, {"a": 1}]}, 400),  # wrong item types
        ("/api/v1/annotate", {"text": 42}, 400),
        ("/api/v1/annotate", {}, 400),
        ("/api/v1/check", {"text": ["a"]}, 400),
        ("/api/v1/concepts", {"terms": "催产素"}, 422),
        ("/api/v1/concepts", {"terms": [{"text": "oxytocin", "lang": "zh"}]}, 422),
        ("/api/v1/concepts", {}, 422),
    ],
)
def test_wrong_types_missing_fields_and_huge_arrays(client, db, token, path, body, status):
    before = snapshot(db)
    assert_api_error(client.post(path, json=body, headers={"Authorization": f"Bearer {token}"}), status)
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        "%",
        "_",
        "%_%",
        ".*(a+)+$",
        "[",
        "\\",
        "🧬🧪",
        "\x00\x07\x1b",
        "催產素 oxytocin cuī",
        "ｏｘｙｔｏｃｉｎ",
        "\u202e\u200b",
    ],
)
def test_odd_queries_answer_200_and_match_nothing_wrongly(client, token, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["results"], list) and body["total"] >= len(body["results"])
    if q in {"%", "_", "%_%", "' OR 1=1 --"}:  # wildcards and SQL are text, not patterns
        assert body["results"] == []
    page = client.get("/", query_string={"q": q})
    assert page.status_code == 200 and page.mimetype == "text/html"


@pytest.mark.parametrize("q, status", [("", 400), ("x" * 10_000, 400)])
def test_empty_and_overlong_queries_are_400(client, token, q, status):
    assert_api_error(client.get("/api/v1/search", query_string={"q": q}), status)
    assert client.get("/", query_string={"q": q}).status_code in (200, 400)


@pytest.mark.parametrize(
    "raw, status", [("abc", 400), ("-1", 400), ("1.5", 400), ("0", 404), ("99999", 404), ("3788165236895378", 404)]
)
def test_bad_and_unknown_ids(client, db, token, raw, status):
    before = snapshot(db)
    auth = {"Authorization": f"Bearer {token}"}
    assert_api_error(client.get(f"/api/v1/concepts/{raw}"), status)
    assert_api_error(client.patch(f"/api/v1/concepts/{raw}", json={"version": 1, "note": "x"}, headers=auth), status)
    assert_api_error(client.delete(f"/api/v1/concepts/{raw}", headers=auth), status)
    assert_api_error(client.post(f"/api/v1/candidates/{raw}/approve", headers=auth), status)
    assert snapshot(db) == before
    assert client.get(f"/concepts/{raw}").status_code == 404  # the page: a readable 404


@pytest.mark.parametrize("text", ["催产\x00素", "oxy\x07tocin", "two\nlines"])
def test_control_characters_in_terms_are_refused(client, db, token, text):
    before = snapshot(db)
    terms = [{"text": text}, {"text": "HPA", "kind": "abbreviation"}]
    response = client.post("/api/v1/concepts", json={"terms": terms}, headers={"Authorization": f"Bearer {token}"})
    assert "contains" in assert_api_error(response, 422)["message"]  # a NUL, or control characters
    assert snapshot(db) == before


def test_nul_in_a_log_in_name_is_a_plain_refusal(client, db):
    response = client.post("/login", data={"name": "co\x00ra", "password": "long-password"})
    assert response.status_code in (400, 401)
