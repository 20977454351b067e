"""The Alembic history creates exactly the models' schema, idempotently, and downgrades."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from glossary.extensions import db


def _diff(app):
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection skips expression indexes; the search structures' own test compares their SQL.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_models(make_app):
    app = make_app(schema=False)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert _diff(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "concept",
            "term",
            "source",
            "evidence",
            "candidate",
            "user_account",
            "api_token",
            "revision",
            "alembic_version",
        } <= tables


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


def _rows(conn, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of the rebuilt tables; only the given columns of each when later revisions added some."""

    def listed(table: str) -> str:
        return ", ".join(f'"{name}"' for name in columns[table]) if columns else "*"

    return {
        table: [tuple(row) for row in conn.execute(text(f"SELECT {listed(table)} FROM {table} ORDER BY id"))]
        for table in REBUILT
    }


def _columns(conn) -> dict[str, list[str]]:
    return {table: [column["name"] for column in inspect(conn).get_columns(table)] for table in REBUILT}


def _mined_source_at_old_schema(conn, concept_id: int) -> None:
    """A mined source and its evidence, written as SQL: the models describe today's tables, not these."""
    conn.execute(
        text(
            "INSERT INTO source (filename, title, sha256, encoding, size, imported_at) "
            "VALUES ('a.txt', '慢性应激', :sha, 'utf-8', 92, CURRENT_TIMESTAMP)"
        ),
        {"sha": "ab" * 32},
    )
    conn.execute(
        text(
            'INSERT INTO evidence (source_id, concept_id, term, sentence, start, "end") '
            "VALUES (1, :concept, '催产素', '催产素（oxytocin）缓解焦虑。', 0, 3)"
        ),
        {"concept": concept_id},
    )


def _autoincrement_tables(conn) -> set[str]:
    return {
        name
        for name, sql in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        if "AUTOINCREMENT" in sql
    }


def test_ids_never_reused_keeps_every_row_and_id_and_downgrades(make_app):
    """The rebuild keeps data and ids; a concept deleted before it keeps its id to itself."""
    from glossary.models import Concept, Evidence, Source
    from glossary.services.accounts import create_token, create_user
    from glossary.services.concepts import create_concept, delete_concept

    app = make_app(schema=False)
    with app.app_context():
        upgrade(revision=_revision_before(IDS_NEVER_REUSED))
        user = create_user(db.session, "mei", "long-password", "curator")
        create_token(db.session, user, "test")
        kept = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, user)
        create_concept(db.session, {"terms": [{"text": "皮质醇"}, {"text": "cortisol"}]}, user)
        _mined_source_at_old_schema(db.session.connection(), kept.id)
        newest = create_concept(db.session, {"terms": [{"text": "褪黑素"}, {"text": "melatonin"}]}, user)
        db.session.commit()
        kept_id, deleted_id = kept.id, newest.id
        db.session.remove()
        with db.engine.begin() as conn:  # as delete_concept does, in SQL: it reads evidence as the models see it
            conn.execute(text("DELETE FROM term WHERE concept_id = :id"), {"id": deleted_id})
            conn.execute(text("DELETE FROM concept WHERE id = :id"), {"id": deleted_id})
        with db.engine.connect() as conn:
            before, columns = _rows(conn), _columns(conn)
        assert before["evidence"] and before["api_token"] and len(before["concept"]) == 2

        upgrade()
        with db.engine.connect() as conn:
            assert _rows(conn, columns) == before
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
            after = _rows(conn, columns)
            assert [row[0] for row in after["concept"]] == [row[0] for row in before["concept"]]
            assert after["evidence"] == before["evidence"] and after["term"][: len(before["term"])] == before["term"]
            if db.engine.dialect.name == "sqlite":
                assert _autoincrement_tables(conn) == set()


IMPORT_JOBS = "e3b7a1c94d20"
IMPORT_TABLES = {
    "import_job",
    "import_job_outcome",
    "import_staged_concept",
    "import_staged_term",
    "import_staged_revision",
    "import_staged_evidence",
}


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
            conn.execute(
                text(
                    "INSERT INTO import_job (kind, status, phase, done, total, filename, sha256, options, "
                    "warnings, counts, user_name, worker, cancel_requested, created_at) VALUES ('apply', "
                    "'running', 'staging', 0, 1, 'a.csv', :sha, '{}', '[]', '{}', 'system', '', false, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"sha": "0" * 64},
            )
            conn.execute(
                text(
                    "INSERT INTO import_staged_concept (job_id, concept_id, status, version) "
                    "VALUES (1, 99, 'approved', 1)"
                )
            )
        db.session.remove()
        downgrade(revision=_revision_before(IMPORT_JOBS))
        assert not IMPORT_TABLES & set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM concept")).scalar() == 1
        upgrade()
        assert _diff(app) == []
