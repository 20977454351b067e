"""A small invented glossary that exercises every corner the codecs must keep."""

from __future__ import annotations

import copy

import pytest

KEY_REVIEW = "a3f1" * 16
KEY_STRESS = "9b0c" * 16


def zh(text, kind="full", status="preferred", count=0, hant=None, pinyin=None):
    return {"lang": "zh", "text": text, "kind": kind, "status": status, "count": count, "zh_hant": hant,
            "pinyin": pinyin}  # fmt: skip


def en(text, kind="full", status="preferred", count=0):
    return {"lang": "en", "text": text, "kind": kind, "status": status, "count": count}


def evidence(source, term, sentence):
    start = sentence.find(term)
    return {"source": source, "term": term, "sentence": sentence, "start": start, "end": start + len(term)}


def concept(id, domain, terms, definition=None, note=None, status="approved", found=()):
    return {"id": id, "domain": domain, "definition": definition, "note": note, "status": status,
            "terms": terms, "evidence": list(found)}  # fmt: skip


SAMPLE = {
    "format": "zh-en-glossary",
    "version": 1,
    "exported_at": "2026-11-22T10:00:00Z",
    "sources": [
        {"key": KEY_REVIEW, "filename": "oxytocin-review.txt", "title": "催产素综述",
         "imported_at": "2026-11-20T08:00:00Z"},
        {"key": KEY_STRESS, "filename": "stress & <axis>.txt", "title": None, "imported_at": None},
    ],
    "concepts": [
        concept(12, "neuroendocrinology", [
            zh("催产素", count=3, hant="催產素", pinyin="cuī chǎn sù"),
            zh("缩宫素", status="admitted", count=1, hant="縮宮素", pinyin="suō gōng sù"),
            en("oxytocin", count=5),
            en("OT", "abbreviation", "admitted", count=2),
            en("ocytocin", "variant", "admitted"),
            en("Pitocin", status="deprecated"),
        ],
            definition="A neuropeptide hormone released by the posterior pituitary.",
            note="<script>alert('x')</script> & \"quoted\" <b>bold</b>",
            found=[evidence(KEY_REVIEW, "催产素", "分娩时催产素水平升高。"),
                   evidence(KEY_REVIEW, "oxytocin", "Oxytocin <rises> & oxytocin falls.")]),
        concept(13, "neuroendocrinology", [
            zh("下丘脑-垂体-肾上腺轴", count=4, hant="下丘腦-垂體-腎上腺軸"),
            zh("下丘脑垂体肾上腺轴", "variant", "deprecated", count=1),
            en("hypothalamic-pituitary-adrenal axis", count=2),
            en("HPA", "abbreviation", count=6),
        ], found=[evidence(KEY_STRESS, "HPA", "Stress activates the HPA axis.")]),
        concept(14, "neuroscience", [
            zh("5-羟色胺", count=2, hant="5-羥色胺", pinyin="wǔ qiǎng sè àn"),
            zh("5羟色胺", "variant", count=1, hant="5羥色胺"),
            zh("血清素", status="admitted", count=1, hant="血清素", pinyin="xuè qīng sù"),
            en("serotonin", count=3),
            en("5-HT", "abbreviation", count=4),
            en("5HT", "abbreviation", "deprecated"),
        ], definition="单胺类神经递质。"),
        concept(15, None, [
            zh("核因子κB", count=1, hant="核因子κB"),
            en("nuclear factor kappa B", count=1),
            en("NF-κB", "abbreviation", count=2),
            en('-OH <test> & "q"', "variant", "admitted"),
        ], definition="Transcription factor; see <NF-κB> & \"friends\" 'too'.",
            note='=HYPERLINK("http://example.invalid")', status="draft"),
        concept(None, "pharmacology", [en("tachykinin", count=1)], status="draft"),
    ],
}  # fmt: skip


@pytest.fixture
def sample() -> dict:
    """A fresh deep copy of the sample glossary for each test."""
    return copy.deepcopy(SAMPLE)


def term_signature(concept: dict) -> list[tuple]:
    """The parts of a concept's terms every lossy format must keep, order-independent."""
    return sorted(
        (term["lang"], term["text"], term["kind"], term["status"], term.get("zh_hant") or None)
        for term in concept["terms"]
    )
