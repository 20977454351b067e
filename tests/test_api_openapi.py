"""The OpenAPI document: served, rendered for people, complete, and true of real answers.

``assert_conforms`` is used by every API test module to validate the JSON body
of a real response against the document's schema for that path, method and status.
"""

from __future__ import annotations

import json
import re

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from glossary.api.docs import OPENAPI_PATH

SPEC = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
_URI = "urn:glossary:openapi"
_REGISTRY = Registry().with_resource(_URI, Resource(contents=SPEC, specification=DRAFT202012))


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def assert_conforms(response, path: str, method: str = "get") -> None:
    """The response's status is documented for ``path``/``method`` and its body fits the schema."""
    operation = SPEC["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} does not document {status}"
    documented = operation["responses"][status]
    pointer = f"/paths/{_escape(path)}/{method}/responses/{status}"
    if "$ref" in documented:
        pointer = documented["$ref"][1:]
        documented = SPEC["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    if "content" not in documented:
        assert not response.data, f"{status} should have no body"
        return
    assert response.mimetype == "application/json"
    schema = {"$ref": f"{_URI}#{pointer}/content/{_escape('application/json')}/schema"}
    Draft202012Validator(schema, registry=_REGISTRY).validate(response.get_json())


def test_document_is_served_as_json_with_caching(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.1")
    assert response.headers["ETag"] and "max-age" in response.headers["Cache-Control"]
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert_conforms(response, "/openapi.json")


def test_document_schemas_are_valid_json_schema():
    for schema in SPEC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises, naming the bad keyword


def test_every_api_route_is_documented(app):
    documented = {
        (re.sub(r"\{(\w+)\}", r"<\1>", path), method.upper())
        for path, item in SPEC["paths"].items()
        for method in item
        if method != "parameters"
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.docs":
            continue
        path = rule.rule.removeprefix("/api/v1").replace("<path:abbr>", "<abbr>")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in openapi.json"


def test_every_operation_has_an_id_and_a_success_answer():
    ids = []
    for item in SPEC["paths"].values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            ids.append(operation["operationId"])
            assert any(status.startswith("2") for status in operation["responses"])
    assert len(ids) == len(set(ids))


def test_human_page_renders_the_document_without_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<script" not in page
    for path in SPEC["paths"]:
        assert f"/api/v1{path}" in page
    assert 'id="schema-Concept"' in page


def test_ping_is_trivial_and_documented(client):
    response = client.get("/api/v1/ping")
    assert response.get_json() == {"status": "ok"}
    assert_conforms(response, "/ping")
