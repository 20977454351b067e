"""The model's rules on a real database (SQLite here, PostgreSQL in CI)."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from glossary.models import Concept, Evidence, Source, Term


def make_concept(db):
    concept = Concept(
        domain="neuroendocrinology",
        terms=[
            Term(lang="zh", text="下丘脑-垂体-肾上腺轴", kind="full", status="preferred"),
            Term(lang="en", text="hypothalamic-pituitary-adrenal axis", kind="full", status="preferred"),
            Term(lang="en", text="HPA", kind="abbreviation", status="preferred"),
        ],
    )
    db.session.add(concept)
    db.session.commit()
    return concept


def test_concept_holds_zh_en_and_abbreviation(db):
    concept = make_concept(db)
    db.session.expire_all()
    stored = db.session.get(Concept, concept.id)
    assert [(t.lang, t.kind, t.text) for t in stored.terms] == [
        ("zh", "full", "下丘脑-垂体-肾上腺轴"),
        ("en", "full", "hypothalamic-pituitary-adrenal axis"),
        ("en", "abbreviation", "HPA"),
    ]
    assert stored.terms_of("en", "abbreviation")[0].key == "hpa"
    assert stored.terms_of("en", "full")[0].key == "hypothalamic pituitary adrenal axis"


def test_chinese_keys_filled_on_insert(db):
    db.session.add(Concept(terms=[Term(lang="zh", text="催產素")]))
    db.session.commit()
    term = db.session.scalar(select(Term))
    assert term.zh_hans == "催产素"
    assert term.key == "催产素"
    assert term.zh_hant == "催產素"
    assert term.pinyin == "cuī chǎn sù"
    assert term.pinyin_key == "cuichansu"
    assert term.pinyin_numbered == "cui1chan3su4"
    assert term.pinyin_initials == "ccs"


def test_keys_follow_text_on_update(db):
    concept = make_concept(db)
    zh = concept.terms_of("zh")[0]
    zh.text = "黑皮质素1受体"
    db.session.commit()
    assert zh.pinyin_initials.startswith("hpzs1")
    assert zh.zh_hant == "黑皮質素1受體"


def test_english_terms_have_no_chinese_keys(db):
    concept = make_concept(db)
    en = concept.terms_of("en", "full")[0]
    assert en.pinyin is None and en.zh_hant is None


def test_version_counter_increments(db):
    concept = make_concept(db)
    assert concept.version == 1
    concept.definition = "The stress axis."
    db.session.commit()
    assert concept.version == 2
    concept.domain = "endocrinology"
    db.session.commit()
    assert concept.version == 3


def test_delete_cascades_to_terms_and_keeps_evidence_source(db):
    concept = make_concept(db)
    source = Source(filename="a.txt", sha256="0" * 64)
    db.session.add(source)
    db.session.flush()
    db.session.add(
        Evidence(
            source_id=source.id,
            concept_id=concept.id,
            term="HPA",
            sentence="…（hypothalamic-pituitary-adrenal，HPA）轴…",
            start=3,
            end=6,
        )
    )
    db.session.commit()
    db.session.delete(concept)
    db.session.commit()
    assert db.session.scalars(select(Term)).all() == []
    evidence = db.session.scalar(select(Evidence))
    assert evidence is not None and evidence.concept_id is None


def test_database_cascade_without_orm(db):
    """The foreign keys themselves cascade (SQLite needs PRAGMA foreign_keys=ON)."""
    concept = make_concept(db)
    db.session.execute(Concept.__table__.delete().where(Concept.id == concept.id))
    db.session.commit()
    assert db.session.scalars(select(Term)).all() == []


def test_check_constraint_rejects_unknown_language(db):
    concept = make_concept(db)
    db.session.add(Term(concept_id=concept.id, lang="fr", text="ocytocine"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_source_hash_is_unique(db):
    db.session.add_all([Source(filename="a.txt", sha256="1" * 64), Source(filename="b.txt", sha256="1" * 64)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
