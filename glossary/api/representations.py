"""Every JSON shape the API answers with, one function per resource, named after it.

The views call these and nothing else to turn what the search layer and the
services return into JSON, so a concept, a term or a candidate looks the same
whichever endpoint answers with it, and the OpenAPI schemas (``openapi.json``)
describe these functions (``tests/test_representations.py`` checks each one
against its schema). Error bodies are the exception: ``glossary.errors`` and
``responses.py`` build them.

One naming across resources: languages are ``zh`` (simplified), ``zh_hant``,
``pinyin`` and ``en``; a resource's abbreviations are a list named
``abbreviations`` (``abbr`` is only one abbreviation as a draft sent to the
check writes it); another resource is named by ``<resource>_id``. Terms are
listed in the rulebook's order (``glossary.models.rules.ordered_terms``).

Deprecated aliases, kept for one release so that clients can move: a
candidate's and an alternative reading's ``abbr`` (the first of
``abbreviations``, or ``""``). ``DEPRECATED`` lists them; the OpenAPI document
marks them ``deprecated: true``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..search import Hit, SearchPage, read_concept
from ..services.mining import MiningReport
from ..services.rationale import alternative_readings, clean_rationale

__all__ = [
    "DEPRECATED",
    "EVIDENCE_SHOWN",
    "abbreviation_expansions",
    "alternative",
    "annotation",
    "annotation_list",
    "candidate",
    "candidate_list",
    "check_issue",
    "check_report",
    "concept",
    "evidence",
    "in_query_term",
    "lookup_result",
    "lookup_results",
    "mining_report",
    "search_hit",
    "search_page",
    "term",
]

# Schema name → its deprecated properties → what replaces each (the README and OpenAPI say the same).
DEPRECATED: dict[str, dict[str, str]] = {
    "Candidate": {"abbr": "abbreviations"},
    "Alternative": {"abbr": "abbreviations"},
}
EVIDENCE_SHOWN = 3  # a candidate shows its first sentences; the review page has them all


def _abbreviations(abbr: str | None) -> list[str]:
    return [abbr] if abbr else []


def term(t: Any) -> dict[str, Any]:
    """A term of a concept (ORM ``Term`` or a search row): ``lang, text, kind, status``."""
    return {"lang": t.lang, "text": t.text, "kind": t.kind, "status": t.status}


def concept(c: Any) -> dict[str, Any]:
    """A concept (ORM ``Concept`` or ``ConceptRow``): its preferred names, abbreviations and every term."""
    reading = read_concept(c)
    return {
        "id": reading.id,
        "zh": reading.zh,
        "zh_hant": reading.zh_hant,
        "pinyin": reading.pinyin,
        "en": reading.en,
        "abbreviations": list(reading.abbreviations),
        "domain": reading.domain,
        "definition": reading.definition,
        "terms": [term(t) for t in reading.terms],
        "version": reading.version,
        "url": reading.url,
    }


def evidence(e: Any) -> dict[str, Any]:
    """A sentence a candidate was found in: its source's file name, the offsets, the PDF page."""
    return {
        "source": e.source.filename if e.source else None,
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "page": e.page,
    }


def alternative(reading: Mapping[str, Any]) -> dict[str, Any]:
    """Another reading of a candidate (one of ``services.rationale.alternative_readings``)."""
    return {
        "zh": reading["zh"],
        "en": reading["en"],
        "abbreviations": _abbreviations(reading["abbr"]),
        "abbr": reading["abbr"],  # deprecated: see DEPRECATED
        "confidence": reading["confidence"],
        "rationale": reading["rationale"],
    }


def candidate(c: Any) -> dict[str, Any]:
    """A mined candidate with its first sentences of evidence, and why the miner read it so
    and not otherwise (``rationale``, ``alternatives``): the boundary evidence a reviewer weighs."""
    return {
        "id": c.id,
        "zh": c.zh,
        "en": c.en,
        "abbreviations": _abbreviations(c.abbr),
        "abbr": c.abbr or "",  # deprecated: see DEPRECATED
        "confidence": c.confidence,
        "count": c.count,
        "status": c.status,
        "concept_id": c.concept_id,
        "evidence": [evidence(e) for e in c.evidence[:EVIDENCE_SHOWN]],
        "rationale": clean_rationale(c.rationale),
        "alternatives": [alternative(a) for a in alternative_readings(c.alternatives)],
    }


def candidate_list(rows: Iterable[Any], total: int) -> dict[str, Any]:
    """A page of the review queue."""
    return {"results": [candidate(c) for c in rows], "total": total}


def in_query_term(found: Mapping[str, Any]) -> dict[str, Any]:
    """A glossary term found inside a search query (one of ``SearchPage.in_query``)."""
    return {
        "text": found["text"],
        "term": found["term"],
        "lang": found["lang"],
        "concept_id": found["concept_id"],
        "zh": found["zh"],
        "en": found["en"],
        "url": found["url"],
    }


def search_hit(hit: Hit) -> dict[str, Any]:
    """A concept found by a search, and how it matched."""
    return {
        "concept": concept(hit.concept),
        "match": {
            "kind": hit.match_kind,
            "field": hit.field,
            "score": hit.score,
            "term": hit.matched_term.text if hit.matched_term is not None else None,
        },
    }


def search_page(page: SearchPage) -> dict[str, Any]:
    """One page of search results, with the glossary terms found inside the query."""
    return {
        "results": [search_hit(hit) for hit in page.results],
        "total": page.total,
        "in_query": [in_query_term(found) for found in page.in_query],
    }


def abbreviation_expansions(answer: Mapping[str, Any]) -> dict[str, Any]:
    """What an abbreviation stands for (``search.expand_abbreviation``): each expansion's
    full names, how often the abbreviation was seen for it, and its concept."""
    results = [
        {"en": list(item["en"]), "zh": list(item["zh"]), "count": item["count"], "concept": concept(item["concept"])}
        for item in answer["results"]
    ]
    return {
        "abbreviation": answer["abbreviation"],
        "case_sensitive": answer["case_sensitive"],
        "results": results,
        "total": len(results),
    }


def lookup_result(answer: Mapping[str, Any]) -> dict[str, Any]:
    """One looked-up term (one of ``search.lookup_terms``): its concepts, how many there are,
    and whether typo matching found them (only when the request asked for it)."""
    shaped: dict[str, Any] = {
        "term": answer["term"],
        "concepts": [concept(c) for c in answer["concepts"]],
        "total": answer["total"],
    }
    if "fuzzy" in answer:
        shaped["fuzzy"] = answer["fuzzy"]
    return shaped


def lookup_results(answers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The answer to a batch look-up: one result per term sent, in order."""
    results = [lookup_result(a) for a in answers]
    return {"results": results, "total": len(results)}


def annotation(found: Mapping[str, Any]) -> dict[str, Any]:
    """A glossary term found in a text (one of ``search.annotate_text``), with code-point offsets."""
    return {
        "start": found["start"],
        "end": found["end"],
        "text": found["text"],
        "lang": found["lang"],
        "term": found["term"],
        "concept_id": found["concept_id"],
        "zh": found["zh"],
        "en": found["en"],
        "translation": found["translation"],
        "url": found["url"],
    }


def annotation_list(found: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Every glossary term found in a text, in text order."""
    results = [annotation(a) for a in found]
    return {"results": results, "total": len(results)}


def _related(item: Mapping[str, Any]) -> dict[str, Any]:
    if item["type"] == "concept":
        return {
            "type": "concept",
            "concept_id": item["concept_id"],
            "abbreviations": list(item["abbreviations"]),
            "zh": item["zh"],
            "en": item["en"],
        }
    return {k: item[k] for k in ("type", "abbr", "start", "end", "line", "column")}


def check_issue(issue: Mapping[str, Any]) -> dict[str, Any]:
    """One item of the writer's abbreviation report; ``abbr`` is the abbreviation as the draft writes it."""
    return {
        "severity": issue["severity"],
        "kind": issue["kind"],
        "abbr": issue["abbr"],
        "message": issue["message"],
        "start": issue["start"],
        "end": issue["end"],
        "line": issue["line"],
        "column": issue["column"],
        "part": {"kind": issue["part"]["kind"], "lang": issue["part"]["lang"]},
        "related": [_related(item) for item in issue["related"]],
    }


def check_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """The writer's abbreviation report (``search.check_draft``): items, counts by severity, the draft's parts."""
    results = [check_issue(i) for i in report["results"]]
    return {
        "results": results,
        "total": len(results),
        "counts": dict(report["counts"]),
        "parts": [
            {k: part[k] for k in ("kind", "lang", "start", "end", "checked")}  # a part of the draft
            for part in report["parts"]
        ],
    }


def mining_report(report: MiningReport, refused: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """What mining an upload did, file by file (refused files last, with the reader's ``code`` and ``reason``)."""
    files = [
        {
            "filename": f.name,
            "status": f.status,
            "kind": f.kind,
            "pages": f.pages,
            "characters": f.characters,
            "candidates": f.candidates,
            "new_candidates": f.new_candidates,
            "evidence": f.evidence,
        }
        for f in report.files
    ]
    files += [
        {"filename": item["filename"], "status": "refused", "code": item["code"], "reason": item["reason"]}
        for item in refused
    ]
    return {
        "files": files,
        "new_candidates": report.new_candidates,
        "known_candidates": report.known_candidates,
        "rejected_skipped": report.rejected_skipped,
    }
