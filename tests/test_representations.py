"""Every JSON shape of the API comes from ``glossary.api.representations`` and fits its OpenAPI schema.

Each representation function is called on real objects of a real database and
its output is validated against the schema the OpenAPI document gives that
resource; a function without a schema here fails ``test_every_representation_is_checked``.
The schemas forbid unknown properties, so a field added to a representation and
not to the document (or the other way round) fails too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from glossary.api import representations
from glossary.api.docs import OPENAPI_PATH
from glossary.models import Candidate, Concept, Evidence, Source
from glossary.search import annotate_text, check_draft, expand_abbreviation, lookup_terms, search_concepts
from glossary.search.documents import load_concept_rows
from glossary.services.candidates import candidate_dedupe_key
from glossary.services.concepts import create_concept
from glossary.services.mining import mine_documents, read_each

SPEC = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
_URI = "urn:glossary:openapi:representations"
_REGISTRY = Registry().with_resource(_URI, Resource(contents=SPEC, specification=DRAFT202012))
README = Path(__file__).resolve().parents[1] / "README.md"

# Representation function → the OpenAPI schema (a JSON pointer into the document) it must fit.
SCHEMAS = {
    "term": "/components/schemas/Term",
    "concept": "/components/schemas/Concept",
    "evidence": "/components/schemas/Candidate/properties/evidence/items",
    "alternative": "/components/schemas/Alternative",
    "candidate": "/components/schemas/Candidate",
    "candidate_list": "/components/schemas/CandidateList",
    "in_query_term": "/components/schemas/SearchList/properties/in_query/items",
    "search_hit": "/components/schemas/SearchResult",
    "search_page": "/components/schemas/SearchList",
    "abbreviation_expansions": "/components/schemas/AbbreviationAnswer",
    "lookup_result": "/components/schemas/LookupAnswer/properties/results/items",
    "lookup_results": "/components/schemas/LookupAnswer",
    "annotation": "/components/schemas/Annotation",
    "annotation_list": "/components/schemas/AnnotateAnswer",
    "check_issue": "/components/schemas/CheckIssue",
    "check_report": "/components/schemas/CheckAnswer",
    "mining_report": "/components/schemas/MiningReport",
}


def _schema(pointer: str) -> dict:
    node = SPEC
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return node


def fits(function: str, output: dict) -> dict:
    """Validate ``output`` against the schema of ``function``; every documented property is present."""
    Draft202012Validator({"$ref": f"{_URI}#{SCHEMAS[function]}"}, registry=_REGISTRY).validate(output)
    schema = _schema(SCHEMAS[function])
    optional = {"fuzzy"} if function == "lookup_result" else set()
    assert set(schema["properties"]) - optional <= set(output), f"{function} leaves out documented fields"
    return output


@pytest.fixture()
def glossary(db):
    """Two concepts, one with a variant, an admitted name and two abbreviations; a mined candidate."""
    hormone = create_concept(
        db.session,
        {
            "domain": "endocrinology",
            "definition": "An invented hormone for these tests.",
            "terms": [
                {"lang": "en", "text": "QRX", "kind": "abbreviation"},
                {"lang": "en", "text": "quorexin"},
                {"lang": "zh", "text": "奎若素", "status": "admitted"},
                {"lang": "zh", "text": "奎若激素"},
                {"lang": "en", "text": "quorexin hormone", "kind": "variant"},
                {"lang": "en", "text": "QRXH", "kind": "abbreviation", "status": "admitted"},
            ],
        },
        None,
    )
    receptor = create_concept(
        db.session,
        {"terms": [{"text": "奎若素受体"}, {"text": "quorexin receptor"}, {"text": "QRXR", "kind": "abbreviation"}]},
        None,
    )
    source = Source(filename="invented-article.txt", sha256="d" * 64)
    candidate = Candidate(
        zh="泽米林",
        en="zemilin",
        abbr="ZML",
        dedupe_key=candidate_dedupe_key("泽米林", "zemilin", "ZML"),
        confidence=0.6,
        count=3,
        rationale={"reasons": ["after function word 的"], "lexicon": [], "recurrence": 2},
        alternatives=[{"zh": "米林", "en": "zemilin", "abbr": "", "confidence": 0.2, "evidence": {"reasons": ["x"]}}],
    )
    candidate.evidence.append(
        Evidence(source=source, term="泽米林", sentence="研究发现泽米林（zemilin，ZML）升高。", start=4, end=7, page=2)
    )
    plain = Candidate(zh="图林", en="tulin", abbr="", dedupe_key=candidate_dedupe_key("图林", "tulin", ""), count=1)
    db.session.add_all([candidate, plain])
    db.session.commit()
    return {"hormone": hormone, "receptor": receptor, "candidate": candidate, "plain": plain}


def test_every_representation_is_checked():
    public = {name for name in representations.__all__ if name.islower()}
    assert public == set(SCHEMAS), "each representation function needs its schema in SCHEMAS (and a test call)"


def test_concept_and_term(db, glossary):
    hormone = db.session.get(Concept, glossary["hormone"].id)
    document = fits("concept", representations.concept(hormone))
    assert (document["zh"], document["en"]) == ("奎若激素", "quorexin")
    assert document["zh_hant"] == "奎若激素" and document["pinyin"]
    # The rulebook's order: Chinese first; preferred before admitted; full, variant, abbreviation.
    assert [t["text"] for t in document["terms"]] == [
        "奎若激素",
        "奎若素",
        "quorexin",
        "quorexin hormone",
        "QRX",
        "QRXH",
    ]
    assert document["abbreviations"] == ["QRX", "QRXH"]
    for term in hormone.terms:
        fits("term", representations.term(term))
    # The light rows the batch endpoints load give the same document as the ORM object.
    rows = load_concept_rows(db.session, [hormone.id])
    assert representations.concept(rows[hormone.id]) == document


def test_candidate_evidence_and_alternatives(db, glossary):
    candidate = db.session.get(Candidate, glossary["candidate"].id)
    document = fits("candidate", representations.candidate(candidate))
    assert document["abbreviations"] == ["ZML"] and document["abbr"] == "ZML"  # the deprecated alias agrees
    assert document["evidence"] == [
        {
            "source": "invented-article.txt",
            "sentence": "研究发现泽米林（zemilin，ZML）升高。",
            "start": 4,
            "end": 7,
            "page": 2,
        }
    ]
    fits("evidence", representations.evidence(candidate.evidence[0]))
    assert document["rationale"]["reasons"] == ["after function word 的"] and document["rationale"]["recurrence"] == 2
    alternative = document["alternatives"][0]
    assert (alternative["zh"], alternative["abbreviations"], alternative["abbr"]) == ("米林", [], "")
    fits("alternative", alternative)
    plain = fits("candidate", representations.candidate(db.session.get(Candidate, glossary["plain"].id)))
    assert plain["abbreviations"] == [] and plain["abbr"] == ""
    listed = fits("candidate_list", representations.candidate_list([candidate], 7))
    assert listed["total"] == 7 and listed["results"] == [document]


def test_search_page_hit_and_terms_in_query(db, glossary):
    page = search_concepts(db.session, "奎若素受体")
    shaped = fits("search_page", representations.search_page(page))
    assert [hit["concept"]["id"] for hit in shaped["results"]] == [glossary["receptor"].id]
    assert shaped["results"][0]["match"] == {
        "kind": "exact",
        "field": "zh",
        "score": page.results[0].score,
        "term": "奎若素受体",
    }
    fits("search_hit", representations.search_hit(page.results[0]))
    # 奎若素 inside the query is the hormone's admitted name: found, and named by its preferred ones.
    assert [(t["term"], t["concept_id"], t["zh"]) for t in shaped["in_query"]] == [
        ("奎若素", glossary["hormone"].id, "奎若激素")
    ]
    fits("in_query_term", shaped["in_query"][0])


def test_abbreviation_and_lookup(db, glossary):
    expansions = fits(
        "abbreviation_expansions", representations.abbreviation_expansions(expand_abbreviation(db.session, "qrx"))
    )
    assert expansions["case_sensitive"] is False
    only = expansions["results"][0]
    assert (only["en"], only["zh"]) == (["quorexin", "quorexin hormone"], ["奎若激素", "奎若素"])
    assert only["concept"] == representations.concept(db.session.get(Concept, glossary["hormone"].id))
    exact = fits("lookup_results", representations.lookup_results(lookup_terms(db.session, ["quorexin", "nothing"])))
    assert [r["total"] for r in exact["results"]] == [1, 0] and "fuzzy" not in exact["results"][0]
    typo = lookup_terms(db.session, ["quorexine"], fuzzy=True)
    result = fits("lookup_result", representations.lookup_result(typo[0]))
    assert result["fuzzy"] is True and result["concepts"][0]["id"] == glossary["hormone"].id


def test_annotations_and_check_report(db, glossary):
    found = annotate_text(db.session, "Quorexin binds the quorexin receptor (QRXR).")
    shaped = fits("annotation_list", representations.annotation_list(found))
    assert [a["translation"] for a in shaped["results"]] == ["奎若激素", "奎若素受体", "奎若素受体"]
    fits("annotation", representations.annotation(found[0]))
    report = check_draft(
        db.session, "The quorexin receptor (QRXR) binds QRX. QRXR is everywhere; QRXR (quorexin receptor)."
    )
    shaped = fits("check_report", representations.check_report(report))
    assert shaped["total"] == len(shaped["results"]) > 0
    for issue in report["results"]:
        fits("check_issue", representations.check_issue(issue))
    assert any(r["type"] == "place" for issue in shaped["results"] for r in issue["related"])


def test_mining_report(db):
    documents, refused = read_each(
        [
            ("invented.txt", "研究发现泽米林（zemilin，ZML）在小鼠中升高，泽米林（ZML）也与炎症有关。".encode()),
            ("empty.txt", b""),
        ]
    )
    assert [d.name for d in documents] == ["invented.txt"]
    report = mine_documents(db.session, documents)
    shaped = fits("mining_report", representations.mining_report(report, refused))
    assert [(f["filename"], f["status"]) for f in shaped["files"]] == [
        ("invented.txt", "mined"),
        ("empty.txt", "refused"),
    ]
    assert shaped["files"][1]["code"] and shaped["files"][1]["reason"]


def test_deprecated_aliases_are_marked_in_the_document_and_the_readme():
    schemas = SPEC["components"]["schemas"]
    marked = {
        (name, prop)
        for name, schema in schemas.items()
        for prop, value in schema.get("properties", {}).items()
        if isinstance(value, dict) and value.get("deprecated")
    }
    outputs = {(name, prop) for name, props in representations.DEPRECATED.items() for prop in props}
    assert outputs <= marked  # every alias the API still answers with is marked deprecated
    readme = README.read_text(encoding="utf-8")
    for name, props in representations.DEPRECATED.items():
        for old, new in props.items():
            said = re.search(rf"`{old}`[^`]{{0,40}}deprecated[\s\S]{{0,300}}`{new}`", readme)
            assert said, f"README must say {name}.{old} is deprecated for {new}"


def test_api_answers_are_the_representations(client, db, glossary):
    """The views answer exactly what the representation functions build (no second shape in a view)."""
    hormone = db.session.get(Concept, glossary["hormone"].id)
    expected = representations.concept(hormone)
    assert client.get(f"/api/v1/concepts/{hormone.id}").get_json() == expected
    searched = client.get("/api/v1/search", query_string={"q": "quorexin"}).get_json()
    assert searched == representations.search_page(search_concepts(db.session, "quorexin"))
    looked_up = client.post("/api/v1/lookup", json={"terms": ["QRX"]}).get_json()
    assert looked_up == representations.lookup_results(lookup_terms(db.session, ["QRX"]))
