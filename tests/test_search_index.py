"""The database's own search structures: current after every kind of write, built the same way by
``create_all`` and by the migration, filled from existing rows by the migration, and gone on downgrade."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, insert, inspect, text, update

from glossary.extensions import db
from glossary.models import Term, term_search_keys
from glossary.models.search_index import SEARCH_INDEX_NAMES, SEARCH_TABLE_PREFIXES
from glossary.search import search_concepts
from glossary.services.concepts import create_concept, delete_concept

SEARCH_REVISION = "d13a7f0c2e58"


def found(query: str) -> list[tuple[int, str]]:
    return [(h.concept.id, h.match_kind) for h in search_concepts(db.session, query).results]


def _concept(zh: str, en: str) -> int:
    concept = create_concept(db.session, {"terms": [{"text": zh}, {"text": en}]}, None)
    db.session.commit()
    return concept.id


def test_core_inserts_updates_and_cascades_keep_search_current(db):
    """Writes that bypass the ORM (as bulk imports do) are indexed by the database itself."""
    concept_id = _concept("视交叉上核", "suprachiasmatic nucleus")
    with db.engine.begin() as conn:
        conn.execute(
            insert(Term.__table__),
            [
                {
                    "concept_id": concept_id,
                    "lang": "zh",
                    "text": "视交叉-上核区",
                    "kind": "variant",
                    "status": "admitted",
                    "count": 0,
                    **term_search_keys("zh", "variant", "视交叉-上核区"),
                },
                {
                    "concept_id": concept_id,
                    "lang": "en",
                    "text": "circadian pacemaker",
                    "kind": "variant",
                    "status": "admitted",
                    "count": 0,
                    **term_search_keys("en", "variant", "circadian pacemaker"),
                },
            ],
        )
    assert found("上核区") == [(concept_id, "substring")]
    assert found("pacemak") == [(concept_id, "word_prefix")]
    assert found("circadain pacemaker") == [(concept_id, "fuzzy")]
    # A key changed in place: the old one is forgotten, the new one found.
    with db.engine.begin() as conn:
        conn.execute(
            update(Term.__table__)
            .where(Term.text == "circadian pacemaker")
            .values(text="master clock", **term_search_keys("en", "variant", "master clock"))
        )
    assert found("pacemak") == []
    assert found("clock") == [(concept_id, "word_prefix")]
    # Deleting the concept cascades to its terms, and they leave the search with them.
    delete_concept(db.session, concept_id, None)
    db.session.commit()
    assert found("上核区") == [] and found("clock") == [] and found("交叉") == []


def test_a_rolled_back_write_leaves_no_trace_and_a_pending_one_is_seen_in_its_transaction(db):
    concept_id = _concept("松果体", "pineal gland")
    with db.engine.connect() as conn:
        conn.execute(delete(Term.__table__).where(Term.concept_id == concept_id))
        conn.rollback()
    assert found("果体") == [(concept_id, "substring")]
    create_concept(db.session, {"terms": [{"text": "松果腺体"}, {"text": "pineal body"}]}, None)
    db.session.flush()  # not committed: the same transaction already finds it
    assert len(found("果腺")) == 1
    db.session.rollback()
    assert found("果腺") == []


def _search_definitions() -> dict[str, str]:
    """The search tables, triggers and indexes in the database: name → its SQL as the database keeps it."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name, coalesce(sql, '') FROM sqlite_master"))
        else:
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"))
        found = dict(rows.all())
    return {
        name: sql
        for name, sql in found.items()
        if name.startswith(SEARCH_TABLE_PREFIXES) or name in SEARCH_INDEX_NAMES or name.startswith("term_search_")
    }


def _search_objects() -> set[str]:
    return set(_search_definitions())


def test_create_all_and_the_migrations_build_the_same_search_structures(make_app):
    app = make_app()
    with app.app_context():
        built = _search_objects()
        assert {"term_trigram", "term_words", "term_search_insert"} <= built or {
            "ix_term_key_trgm",
            "ix_term_lang_key_pattern",
        } <= built
        definitions = _search_definitions()
        db.drop_all()
        assert _search_objects() == set()
        upgrade()
        # The same objects, defined by the same SQL (the migration's frozen copy has not drifted).
        assert _search_definitions() == definitions


def _old_concept(conn, concept_id: int, zh: str, en: str) -> None:
    """Rows written as the schema before this revision had them (plain SQL: the models have moved on)."""
    conn.execute(
        text(
            "INSERT INTO concept (id, status, created_at, updated_at, version) "
            "VALUES (:id, 'approved', '2026-01-01', '2026-01-01', 1)"
        ),
        {"id": concept_id},
    )
    for lang, written in (("zh", zh), ("en", en)):
        keys = term_search_keys(lang, "full", written)
        conn.execute(
            text(
                "INSERT INTO term (concept_id, lang, text, key, kind, status, zh_hans, zh_hant, pinyin, pinyin_key, "
                "pinyin_numbered, pinyin_initials, count, created_at) VALUES (:concept_id, :lang, :text, :key, 'full', "
                "'preferred', :zh_hans, :zh_hant, :pinyin, :pinyin_key, :pinyin_numbered, :pinyin_initials, 0, "
                "'2026-01-01')"
            ),
            {"concept_id": concept_id, "lang": lang, "text": written, **keys},
        )


def test_migration_indexes_existing_terms_and_downgrades(make_app):
    app = make_app(schema=False)
    with app.app_context():
        before = _revision_before(SEARCH_REVISION)
        upgrade(revision=before)
        assert _search_objects() == set()
        with db.engine.begin() as conn:
            _old_concept(conn, 7, "下丘脑-视上核", "hypothalamic supraoptic nucleus")
        upgrade()
        assert found("视上核") == [(7, "substring")]
        assert found("下丘脑视上核") == [(7, "exact")]
        assert found("supraopt") == [(7, "word_prefix")]
        assert found("hypothalamic supraoptik nucleus") == [(7, "fuzzy")]
        with db.engine.begin() as conn:  # after the upgrade, the triggers index it
            _old_concept(conn, 8, "室旁核", "paraventricular nucleus")
        new = 8
        assert found("旁核") == [(new, "substring")]
        db.session.remove()
        downgrade(revision=before)
        assert _search_objects() == set()
        assert "term" in inspect(db.engine).get_table_names()
        upgrade()
        assert found("旁核") == [(new, "substring")]
        assert found("视上核") == [(7, "substring")]


def _revision_before(revision: str) -> str:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(revision).down_revision
