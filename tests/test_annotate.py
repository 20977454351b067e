"""Term recognition: offsets in code points, both scripts, word boundaries, case, longest match, freshness."""

from __future__ import annotations

import pytest

from glossary.search import annotate_text, find_terms
from glossary.services.concepts import create_concept, delete_concept, update_concept


def concept(db, *terms: str | dict, commit: bool = True):
    made = create_concept(db.session, {"terms": [t if isinstance(t, dict) else {"text": t} for t in terms]}, None)
    if commit:
        db.session.commit()
    return made


@pytest.fixture()
def glossary(db):
    return {
        "hpa": concept(
            db,
            "下丘脑-垂体-肾上腺轴",
            "hypothalamic-pituitary-adrenal axis",
            {"text": "HPA", "kind": "abbreviation", "lang": "en"},
        ),
        "adrenal": concept(db, "肾上腺", "adrenal gland"),
        "oxytocin": concept(db, "催产素", "oxytocin"),
        "scfa": concept(
            db, "短链脂肪酸", "short-chain fatty acid", {"text": "SCFAs", "kind": "abbreviation", "lang": "en"}
        ),
        "nfkb": concept(
            db, "核因子κB", "nuclear factor kappa B", {"text": "NF-κB", "kind": "abbreviation", "lang": "en"}
        ),
    }


def spans(db, text: str) -> list[tuple[int, int, str]]:
    return [(a.start, a.end, a.text) for a in find_terms(db.session, text)]


def test_offsets_are_code_points_into_the_text_as_sent(db, glossary):
    text = "𠀀😀 催产素升高"  # two characters outside the BMP before the term
    assert spans(db, text) == [(3, 6, "催产素")]
    assert text[3:6] == "催产素"


def test_both_scripts_and_the_translation(db, glossary):
    results = annotate_text(db.session, "催產素與催产素")
    assert [(r["start"], r["end"], r["text"]) for r in results] == [(0, 3, "催產素"), (4, 7, "催产素")]
    assert {r["translation"] for r in results} == {"oxytocin"}
    assert (
        results[0]["concept_id"] == glossary["oxytocin"].id
        and results[0]["url"] == f"/concepts/{glossary['oxytocin'].id}"
    )


def test_longest_match_wins(db, glossary):
    text = "下丘脑-垂体-肾上腺轴与肾上腺"
    found = annotate_text(db.session, text)
    assert [(r["text"], r["concept_id"]) for r in found] == [
        ("下丘脑-垂体-肾上腺轴", glossary["hpa"].id),
        ("肾上腺", glossary["adrenal"].id),
    ]


def test_english_on_word_boundaries_and_case_insensitive(db, glossary):
    assert spans(db, "Oxytocin and OXYTOCIN, not oxytocinase") == [(0, 8, "Oxytocin"), (13, 21, "OXYTOCIN")]
    assert spans(db, "Short chain fatty acid levels") == [(0, 22, "Short chain fatty acid")]
    assert annotate_text(db.session, "short-chain fatty acid")[0]["translation"] == "短链脂肪酸"


def test_short_capital_abbreviations_match_as_written_only(db, glossary):
    assert spans(db, "HPA axis; hpa; sHPA") == [(0, 3, "HPA")]
    assert [s[2] for s in spans(db, "SCFAs and NF-κB, nf-κb")] == ["SCFAs", "NF-κB", "nf-κb"]


def test_text_without_terms(db, glossary):
    assert annotate_text(db.session, "") == []
    assert annotate_text(db.session, "没有术语的句子。") == []


def test_added_edited_and_deleted_terms_are_seen_at_once(db, glossary):
    assert spans(db, "褪黑素") == []
    created = concept(db, "褪黑素", "melatonin")
    assert spans(db, "褪黑素 and melatonin") == [(0, 3, "褪黑素"), (8, 17, "melatonin")]
    update_concept(db.session, created.id, {"terms": [{"text": "褪黑激素"}, {"text": "melatonin"}]}, None, 1)
    db.session.commit()
    assert spans(db, "褪黑素、褪黑激素") == [(4, 8, "褪黑激素")]
    delete_concept(db.session, glossary["oxytocin"].id, None)
    db.session.commit()
    assert spans(db, "催产素 oxytocin") == []


def test_reused_ids_are_not_taken_for_the_old_term(db, glossary):
    # SQLite hands a deleted newest row's id to the next insert: the cache must not report the old text.
    last = concept(db, "褪黑素", "melatonin")
    assert spans(db, "褪黑素") == [(0, 3, "褪黑素")]
    delete_concept(db.session, last.id, None)
    db.session.commit()
    concept(db, "视交叉上核", "suprachiasmatic nucleus")
    assert spans(db, "褪黑素") == []
    assert spans(db, "视交叉上核") == [(0, 5, "视交叉上核")]
