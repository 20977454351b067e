"""GET /api/v1/export: every format downloads and reads back; bad choices are 400."""

import pytest

from glossary.formats import parse_glossary
from glossary.services.concepts import create_concept


@pytest.fixture()
def glossary(db):
    create_concept(
        db.session,
        {
            "domain": "neuroendocrinology",
            "terms": [
                {"text": "下丘脑-垂体-肾上腺轴"},
                {"text": "hypothalamic-pituitary-adrenal axis"},
                {"text": "HPA", "kind": "abbreviation"},
            ],
        },
        None,
    )
    create_concept(db.session, {"status": "draft", "terms": [{"text": "焦虑"}, {"text": "anxiety"}]}, None)
    db.session.commit()


@pytest.mark.parametrize(
    "fmt, media",
    [
        ("tbx", "application/x-tbx"),
        ("tbx3", "application/x-tbx"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/json"),
    ],
)
def test_each_format_downloads_and_reads_back(client, glossary, fmt, media):
    response = client.get(f"/api/v1/export?format={fmt}")
    assert response.status_code == 200
    assert response.mimetype == media
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "-approved-" in disposition
    parsed = parse_glossary(response.data, fmt)
    texts = {t["text"] for c in parsed.data["concepts"] for t in c["terms"]}
    assert {"下丘脑-垂体-肾上腺轴", "hypothalamic-pituitary-adrenal axis", "HPA"} <= texts
    assert "焦虑" not in texts  # a draft is not exported by default


def test_status_all_and_omegat_direction(client, glossary):
    both = parse_glossary(client.get("/api/v1/export?format=json&status=all").data, "json")
    assert len(both.data["concepts"]) == 2
    en_zh = client.get("/api/v1/export?format=tsv&direction=en-zh").get_data(as_text=True)
    assert any(
        line.startswith("hypothalamic-pituitary-adrenal axis\t下丘脑-垂体-肾上腺轴") for line in en_zh.splitlines()
    )


@pytest.mark.parametrize("query", ["", "?format=pdf", "?format=tsv&direction=fr-en", "?format=csv&status=old"])
def test_bad_choices_are_400_json(client, query):
    response = client.get("/api/v1/export" + query)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
