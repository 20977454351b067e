"""Schemathesis fuzzes every operation of the app's own OpenAPI document.

Each operation gets a bounded number of generated requests, valid ones and
deliberately invalid ones; every answer must be a non-5xx that conforms to
the document. Driven through schemathesis's Python API (its pytest plugin
does not load under this pytest).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

from .conftest import FUZZ_COUNTS

EXAMPLES_PER_OPERATION = 25
DOCUMENT = Path(__file__).resolve().parents[1] / "glossary" / "api" / "openapi.json"
# Schemathesis never fuzzes the URL the document itself is served from.
OPERATIONS = [
    label
    for label in (
        result.ok().label
        for result in schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text("utf-8"))).get_all_operations()
    )
    if label != "GET /openapi.json"
]
# Statuses the API documents beyond schemathesis's defaults: 413 is the clear limit on
# oversized batches, and 422 answers schema-valid input that breaks a documented rule
# (e.g. a Chinese term without Chinese characters).
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
            },
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 413, 422, 429]},
        }
    }
)
SEED_CONCEPTS = [
    {"domain": "neuroendocrinology", "terms": [{"text": "催产素"}, {"text": "oxytocin"}]},
    {
        "domain": "neuroendocrinology",
        "terms": [
            {"text": "下丘脑-垂体-肾上腺轴"},
            {"text": "hypothalamic-pituitary-adrenal axis"},
            {"text": "HPA", "kind": "abbreviation"},
        ],
    },
    {
        "domain": "immunology",
        "terms": [{"text": "核因子κB"}, {"text": "nuclear factor kappa-B"}, {"text": "NF-κB", "kind": "abbreviation"}],
    },
]


@pytest.fixture()
def curator_token(app, db):
    user = create_user(db.session, "fuzzer", "long-password", "curator")
    token, _ = create_token(db.session, user, "fuzz")
    for concept in SEED_CONCEPTS:
        create_concept(db.session, concept, user)
    db.session.commit()
    return token


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_answers_every_request_as_documented(app, curator_token, label, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    served = {r.ok().label: r.ok() for r in schema.get_all_operations()}
    assert label in served, f"{label} is in openapi.json but not in the document the app serves"
    operation = served[label]
    headers = {"Authorization": f"Bearer {curator_token}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        FUZZ_COUNTS["schemathesis"] += 1
        case.call_and_validate(headers=headers)

    try:
        fuzz()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE:
            pytest.skip(f"{label} takes no input that could be made invalid")
        raise
