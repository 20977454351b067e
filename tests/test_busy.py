"""A busy database: writes wait a configured time, then answer 503 with Retry-After, leaving no trace.

Another connection takes the write lock and keeps it while the requests run,
so every wait here ends on the busy timeout (a configured 0.1 s), never on a
sleep, and nothing asserts how long anything took. Mining is checked to hold
no write lock while it mines, and token checks to write at most once a minute,
outside the request's transaction.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text, update

from glossary.extensions import db as _db
from glossary.mining import Candidate as MinedCandidate
from glossary.models import ApiToken, Candidate, Concept, Evidence, Revision, Source, Term
from glossary.services import mining
from glossary.services.accounts import create_token, create_user
from glossary.services.concepts import create_concept

from .test_api_openapi import assert_conforms
from .test_web_support import PASSWORD, login

TABLES = ("concept", "term", "source", "evidence", "candidate", "revision", "api_token", "user_account")
ARTICLE = "慢性应激激活下丘脑-垂体-肾上腺（hypothalamic-pituitary-adrenal，HPA）轴。".encode()


@pytest.fixture()
def app(make_app):
    return make_app(SQLITE_BUSY_TIMEOUT_MS=100, POSTGRES_LOCK_TIMEOUT_MS=100)


@pytest.fixture()
def setup(db):
    """A curator with an API token (never used yet) and one concept."""
    user = create_user(db.session, "cora", PASSWORD, "curator")
    plain, token = create_token(db.session, user, "test")
    concept = create_concept(db.session, {"terms": [{"text": "催产素"}, {"text": "oxytocin"}]}, user)
    db.session.commit()
    return {"headers": {"Authorization": f"Bearer {plain}"}, "token_id": token.id, "concept_id": concept.id}


@contextmanager
def write_lock(db, wait: bool = True):
    """Hold the database's write lock from another connection until the block ends.

    With ``wait=False``, take it only if it is free right now (else raise), to
    show that nobody else holds it.
    """
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # the lock every SQLite writer needs
            yield
            other.execute("ROLLBACK")
        finally:
            other.close()
        return
    with db.engine.connect() as other:
        # Every write this app does needs ROW EXCLUSIVE on one of these; EXCLUSIVE still lets reads through.
        other.execute(text(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE{'' if wait else ' NOWAIT'}"))
        yield
        other.rollback()


def snapshot(db) -> dict:
    db.session.rollback()
    counts = {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Concept, Term, Source, Evidence, Candidate, Revision)
    }
    counts["token used"] = db.session.scalar(select(ApiToken.last_used_at))
    counts["note"] = db.session.scalar(select(Concept.note))
    return counts


def assert_busy(response, path: str | None = None, method: str = "post") -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) >= 1
    if path is not None:
        assert response.get_json()["error"]["code"] == "busy"
        assert_conforms(response, path, method)


def test_api_writes_answer_503_while_another_connection_holds_the_lock(client, db, setup):
    cid, headers = setup["concept_id"], setup["headers"]
    before = snapshot(db)
    with write_lock(db):
        assert_busy(
            client.post(
                "/api/v1/concepts", headers=headers, json={"terms": [{"text": "褪黑素"}, {"text": "melatonin"}]}
            ),
            "/concepts",
        )
        assert_busy(
            client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 1, "note": "x"}),
            "/concepts/{concept_id}",
            "patch",
        )
        assert_busy(client.delete(f"/api/v1/concepts/{cid}", headers=headers), "/concepts/{concept_id}", "delete")
        assert_busy(
            client.post(
                "/api/v1/documents",
                headers=headers,
                content_type="multipart/form-data",
                data={"files": (io.BytesIO(ARTICLE), "article.txt")},
            ),
            "/documents",
        )
        # Reads go on meanwhile.
        assert client.get(f"/api/v1/concepts/{cid}").status_code == 200
    assert snapshot(db) == before  # not even the token's last use
    # The lock gone, the same write goes through.
    again = client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 1, "note": "x"})
    assert again.status_code == 200


def test_page_writes_answer_503_with_a_clear_message(client, db, setup):
    login(client, "cora")
    before = snapshot(db)
    form = {
        "version": "",
        "domain": "",
        "status": "approved",
        "terms-0-lang": "",
        "terms-0-text": "褪黑素",
        "terms-0-kind": "full",
        "terms-0-status": "preferred",
        "terms-1-lang": "",
        "terms-1-text": "melatonin",
        "terms-1-kind": "full",
        "terms-1-status": "preferred",
    }
    with write_lock(db):
        response = client.post("/concepts/new", data=form)
        assert_busy(response)
        assert "busy with another change; nothing was saved" in response.get_data(as_text=True)
        upload = client.post(
            "/documents", data={"files": (io.BytesIO(ARTICLE), "article.txt")}, content_type="multipart/form-data"
        )
        assert_busy(upload)
    assert snapshot(db) == before
    assert client.post("/concepts/new", data=form).status_code == 302


def test_mining_holds_no_write_lock_while_it_mines(client, db, setup, monkeypatch):
    """While the miner works, another connection can take the write lock at once."""
    mine_texts, seen = mining.mine_texts, []

    def mine_while_checking(docs, known_pairs=()):
        with write_lock(db, wait=False):  # raises if the upload held the lock
            seen.append("free")
        return mine_texts(docs, known_pairs=known_pairs)

    monkeypatch.setattr(mining, "mine_texts", mine_while_checking)
    response = client.post(
        "/api/v1/documents",
        headers=setup["headers"],
        content_type="multipart/form-data",
        data={"files": (io.BytesIO(ARTICLE), "article.txt")},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert seen == ["free"] and response.get_json()["new_candidates"] >= 1


def test_mining_looks_candidates_up_and_inserts_in_batches(db, monkeypatch):
    """1,200 proposals, 600 of them known: a few bulk statements, not one or two per candidate."""

    def proposal(i: int) -> MinedCandidate:
        sentence = f"白细胞介素-{i}（interleukin-{i}，IL-{i}）"
        return MinedCandidate(
            zh=f"白细胞介素-{i}",
            en=f"interleukin-{i}",
            abbr=f"IL-{i}",
            confidence=0.8,
            sources=[{"file": "0", "sentence": sentence, "start": 0, "end": 7}] * 2,
        )

    monkeypatch.setattr(mining, "mine_texts", lambda docs, known_pairs=(): [proposal(i) for i in range(600)])
    mining.mine_documents(db.session, mining.read_documents([("first.txt", b"first")]))
    db.session.commit()
    monkeypatch.setattr(mining, "mine_texts", lambda docs, known_pairs=(): [proposal(i) for i in range(1200)])
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = mining.mine_documents(db.session, mining.read_documents([("second.txt", b"second")]))
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert (report.new_candidates, report.known_candidates) == (600, 600)
    lookups = [s for s in statements if s.startswith("SELECT") and "FROM candidate WHERE candidate.dedupe_key IN" in s]
    evidence = [s for s in statements if s.startswith("INSERT INTO evidence")]
    assert 1 <= len(lookups) <= 3 and 1 <= len(evidence) <= 3
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 2 * 1800


def test_a_token_is_noted_at_most_once_a_minute_outside_the_request(client, db, setup):
    cid, headers, token_id = setup["concept_id"], setup["headers"], setup["token_id"]

    def last_used():
        db.session.rollback()
        return db.session.get(ApiToken, token_id).last_used_at

    assert last_used() is None
    client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 1, "note": "one"})
    first = last_used()
    assert first is not None
    client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 2, "note": "two"})
    assert last_used() == first  # within the minute: not written again
    # A refused write still noted nothing new, and its own rollback took nothing else away.
    assert client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 1}).status_code == 409
    assert last_used() == first
    db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
    db.session.commit()
    client.patch(f"/api/v1/concepts/{cid}", headers=headers, json={"version": 3, "note": "three"})
    assert last_used() > first - timedelta(minutes=2)


def test_the_mine_command_says_the_database_is_busy_and_stores_nothing(runner, db, setup, tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE)
    before = snapshot(db)
    with write_lock(db):
        result = runner.invoke(args=["mine", str(article)])
    assert result.exit_code == 1 and "busy" in result.output and "nothing was stored" in result.output
    assert snapshot(db) == before


def test_the_lock_wait_and_the_memory_map_come_from_the_configuration(make_app):
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=1234, POSTGRES_LOCK_TIMEOUT_MS=4321, SQLITE_MMAP_MB=3)
    with app.app_context(), _db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1234
            assert connection.execute(text("PRAGMA mmap_size")).scalar() == 3 * 2**20
        else:
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "4321ms"


def test_postgresql_prepared_statements_follow_the_environment(monkeypatch, tmp_path):
    from glossary.config import load_config

    assert load_config(tmp_path)["POSTGRES_PREPARED_STATEMENTS"] is True
    monkeypatch.setenv("GLOSSARY_POSTGRES_PREPARED_STATEMENTS", "0")
    assert load_config(tmp_path)["POSTGRES_PREPARED_STATEMENTS"] is False


def test_a_postgresql_connection_keeps_one_plan_for_its_prepared_statements_only_when_asked(make_app):
    for prepared, mode in ((True, "force_generic_plan"), (False, "auto")):
        app = make_app(POSTGRES_PREPARED_STATEMENTS=prepared)
        with app.app_context(), _db.engine.connect() as connection:
            if connection.dialect.name != "postgresql":
                pytest.skip("a PostgreSQL setting: set TEST_DATABASE_URL to run (CI does)")
            assert connection.execute(text("SHOW plan_cache_mode")).scalar() == mode
            # psycopg's own preparing is off with ours: it deallocates every prepared statement at a rollback.
            assert (connection.connection.dbapi_connection.prepare_threshold is None) == prepared
