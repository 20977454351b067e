"""The Alembic history creates exactly the models' schema, idempotently, and downgrades."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from glossary.extensions import db


def _diff(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_models(make_app):
    app = make_app(schema=False)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert _diff(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"concept", "term", "source", "evidence", "candidate", "user_account",
                "api_token", "revision", "alembic_version"} <= tables


def test_upgrade_twice_changes_nothing(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade()
        before = {t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()}
        upgrade()
        after = {t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()}
        assert repr(before) == repr(after)


def test_downgrade_to_base_removes_everything(make_app):
    app = make_app(schema=False)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


IDS_NEVER_REUSED = "cef07b438dbb"
REBUILT = ("concept", "term", "candidate", "source", "evidence", "revision", "user_account", "api_token")


def _revision_before(revision: str) -> str:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(revision).down_revision


def _rows(conn) -> dict[str, list[tuple]]:
    return {table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in REBUILT}


def _autoincrement_tables(conn) -> set[str]:
    return {name for name, sql in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
            if "AUTOINCREMENT" in sql}


def test_ids_never_reused_keeps_every_row_and_id_and_downgrades(make_app):
    """The rebuild keeps data and ids; a concept deleted before it keeps its id to itself."""
    from glossary.models import Concept, Evidence, Source
    from glossary.services.accounts import create_token, create_user
    from glossary.services.candidates import approve_candidate
    from glossary.services.concepts import create_concept, delete_concept
    from glossary.services.mining import mine_documents, read_documents

    app = make_app(schema=False)
    with app.app_context():
        upgrade(revision=_revision_before(IDS_NEVER_REUSED))
        user = create_user(db.session, "mei", "long-password", "curator")
        create_token(db.session, user, "test")
        article = "慢性应激激活下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴。".encode()
        mine_documents(db.session, read_documents([("a.txt", article)]), actor=user)
        kept = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, user)
        approve_candidate(db.session, 1, user)
        newest = create_concept(db.session, {"terms": [{"text": "褪黑素"}, {"text": "melatonin"}]}, user)
        db.session.commit()
        kept_id, deleted_id = kept.id, newest.id
        delete_concept(db.session, deleted_id, user)
        db.session.commit()
        db.session.remove()
        with db.engine.connect() as conn:
            before = _rows(conn)
        assert before["evidence"] and before["api_token"] and len(before["concept"]) == 2

        upgrade()
        with db.engine.connect() as conn:
            assert _rows(conn) == before
            if db.engine.dialect.name == "sqlite":
                assert _autoincrement_tables(conn) >= set(REBUILT)
                assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # enforced again
        assert _diff(app) == []
        again = create_concept(db.session, {"terms": [{"text": "血清素"}, {"text": "serotonin"}]}, None)
        db.session.commit()
        assert again.id > deleted_id > kept_id
        # Foreign keys still hold after the rebuild: deleting a concept still cascades to its terms.
        delete_concept(db.session, again.id, None)
        db.session.commit()
        assert db.session.get(Concept, again.id) is None
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == len(before["evidence"])
        assert db.session.scalar(select(Source.filename)) == "a.txt"
        db.session.remove()

        downgrade(revision=_revision_before(IDS_NEVER_REUSED))
        with db.engine.connect() as conn:
            after = _rows(conn)
            assert [row[0] for row in after["concept"]] == [row[0] for row in before["concept"]]
            assert after["evidence"] == before["evidence"] and after["term"][:len(before["term"])] == before["term"]
            if db.engine.dialect.name == "sqlite":
                assert _autoincrement_tables(conn) == set()


IMPORT_JOBS = "e3b7a1c94d20"
IMPORT_TABLES = {"import_job", "import_job_outcome", "import_staged_concept", "import_staged_term",
                 "import_staged_revision", "import_staged_evidence"}


def test_import_jobs_revision_adds_its_tables_and_downgrades_without_touching_the_glossary(make_app):
    from glossary.services.concepts import create_concept

    app = make_app(schema=False)
    with app.app_context():
        upgrade(revision=_revision_before(IMPORT_JOBS))
        create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, None)
        db.session.commit()
        upgrade(revision=IMPORT_JOBS)
        assert IMPORT_TABLES <= set(inspect(db.engine).get_table_names())
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO import_job (kind, status, phase, done, total, filename, sha256, options, "
                              "warnings, counts, user_name, worker, cancel_requested, created_at) VALUES ('apply', "
                              "'running', 'staging', 0, 1, 'a.csv', :sha, '{}', '[]', '{}', 'system', '', false, "
                              "CURRENT_TIMESTAMP)"), {"sha": "0" * 64})
            conn.execute(text("INSERT INTO import_staged_concept (job_id, concept_id, status, version) "
                              "VALUES (1, 99, 'approved', 1)"))
        db.session.remove()
        downgrade(revision=_revision_before(IMPORT_JOBS))
        assert not IMPORT_TABLES & set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM concept")).scalar() == 1
        upgrade()
        assert _diff(app) == []
