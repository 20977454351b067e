"""Statements compiled once and run on the driver's cursor, on both databases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import Integer, PickleType, bindparam, literal, select
from sqlalchemy.exc import DBAPIError, OperationalError

from glossary.database import is_busy
from glossary.models import Term
from glossary.models.arrays import among, array_value
from glossary.search.prepared import prepare, run
from glossary.services.concepts import create_concept

T = Term.__table__.c


def _by_keys(dialect):
    return select(T.id, T.text, literal("found").label("why")).where(
        among(T.key, "keys", dialect.name), T.lang == bindparam("lang")
    )


def test_a_prepared_read_sees_what_the_session_wrote_and_not_yet_committed(db):
    concept = create_concept(db.session, {"terms": [{"lang": "en", "text": "Oxytocin"}]}, None)
    db.session.flush()
    connection = db.session.connection()
    prepared = prepare(_by_keys(connection.dialect), connection.dialect)
    values = {"keys": array_value(connection.dialect.name, ["oxytocin", "no such key"]), "lang": "en"}
    rows = run(connection, prepared, values)
    assert [(row[prepared.columns["text"]], row[prepared.columns["why"]]) for row in rows] == [("Oxytocin", "found")]
    assert rows[0][0] == concept.terms[0].id
    db.session.rollback()
    assert run(db.session.connection(), prepared, values) == []  # rolled back with the session


def test_a_parameter_used_twice_gets_its_value_in_both_places(db):
    create_concept(db.session, {"terms": [{"lang": "en", "text": "serotonin"}, {"lang": "en", "text": "5-HT"}]}, None)
    db.session.commit()
    connection = db.session.connection()
    statement = select(T.text).where((T.key == bindparam("k")) | (T.text == bindparam("k"))).order_by(T.id)
    assert [row[0] for row in run(connection, prepare(statement, connection.dialect), {"k": "5-HT"})] == ["5-HT"]


def test_statements_that_need_sqlalchemy_at_each_execution_are_refused(db):
    dialect = db.session.connection().dialect
    with pytest.raises(ValueError, match="expanding"):
        prepare(select(T.id).where(T.id.in_(bindparam("ids", expanding=True))), dialect)
    with pytest.raises(ValueError, match="converts"):
        prepare(select(T.id).where(T.text == bindparam("pickled", type_=PickleType())), dialect)
    prepare(select(T.id).where(among(T.id, "ids", dialect.name, Integer)), dialect)  # an array of plain items is fine


def test_a_driver_error_reaches_the_handlers_as_sqlalchemy_raises_it(db):
    connection = db.session.connection()
    broken = prepare(select(T.id).where(T.key == bindparam("k")), connection.dialect)
    broken = type(broken)(broken.sql.replace("term", "no_such_table"), broken.order, broken.fixed, broken.columns)
    with pytest.raises(DBAPIError) as raised:
        run(connection, broken, {"k": "x"})
    assert isinstance(raised.value.orig, connection.dialect.loaded_dbapi.Error)
    db.session.rollback()
    # A driver's "busy" comes out as the OperationalError that the 503-with-Retry-After handler knows.
    dbapi = connection.dialect.loaded_dbapi

    class BusyCursor:
        def execute(self, *_args):
            raise dbapi.OperationalError("database is locked")

        def close(self):
            pass

    busy = SimpleNamespace(dialect=connection.dialect, connection=SimpleNamespace(cursor=BusyCursor))
    with pytest.raises(OperationalError) as raised_busy:
        run(busy, broken, {"k": "x"})
    assert is_busy(raised_busy.value)


def test_values_the_statement_fixes_are_written_into_its_text(db):
    connection = db.session.connection()
    prepared = prepare(_by_keys(connection.dialect), connection.dialect)
    assert prepared.fixed == {}  # literal("found") is in the SQL, not a parameter: a shared plan sees it
    assert "'found'" in prepared.sql
    if prepared.server is not None:
        assert "'found'" in prepared.server.sql and "$1" in prepared.server.sql


def test_quotes_and_sql_in_a_query_are_values_on_either_path(client, db):
    """On PostgreSQL the values are written into ``EXECUTE …(…)`` by the driver: they must stay values."""
    tricky = "Crohn's disease \\ 100% _x_ $1); DROP TABLE term; --"
    create_concept(db.session, {"terms": [{"lang": "en", "text": tricky}, {"lang": "zh", "text": "克罗恩病"}]}, None)
    db.session.commit()
    for query in (tricky, "crohn's dis", "Crohn's disease", "O'Brien\\", "100%", "_x_"):
        response = client.get("/api/v1/search", query_string={"q": query})
        assert response.status_code == 200, (query, response.get_json())
    found = client.get("/api/v1/search", query_string={"q": tricky}).get_json()
    assert [r["match"]["kind"] for r in found["results"]] == ["exact"]
    assert [(r["concept"]["en"], r["match"]["term"]) for r in found["results"]] == [(tricky, tricky)]
    words = client.get("/api/v1/search", query_string={"q": "crohn's dis"}).get_json()
    assert words["total"] == 1  # word prefixes: crohn, s, dis*
    assert db.session.connection().exec_driver_sql("SELECT count(*) FROM term").scalar() == 2


@pytest.fixture()
def postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's prepared statements: set TEST_DATABASE_URL to run (CI does)")
    return db


def _prepared_here(connection):
    rows = connection.exec_driver_sql(
        "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE starts_with(name, 'glossary_')"
    )
    return {name: (generic, custom) for name, generic, custom in rows}


def test_postgresql_prepares_a_read_once_per_connection_and_plans_it_once(postgresql):
    db = postgresql
    create_concept(db.session, {"terms": [{"lang": "en", "text": "oxytocin"}, {"lang": "zh", "text": "催产素"}]}, None)
    db.session.commit()
    dialect = db.engine.dialect
    prepared = prepare(_by_keys(dialect), dialect)
    values = {"keys": array_value("postgresql", ["oxytocin"]), "lang": "en"}
    with db.engine.connect() as connection:
        transaction = connection.begin()
        assert [row[1] for row in run(connection, prepared, values)] == ["oxytocin"]
        transaction.rollback()  # a prepared statement outlives the transaction
        connection.begin()
        assert [row[1] for row in run(connection, prepared, {**values, "keys": array_value("postgresql", [])})] == []
        assert [row[1] for row in run(connection, prepared, values)] == ["oxytocin"]
        assert _prepared_here(connection) == {prepared.server.name: (3, 0)}  # one PREPARE, one plan for any values
        assert connection.connection.info["glossary_prepared_statements"] == {prepared.server.name}
        # What the application reads runs the same way: search pages, terms in the query, concepts of a page.
        for query in ("催产素", "oxy", "oxytocin receptor", "催产素受体"):
            page = search_concepts_on(connection, query)
            assert page.results or page.in_query, query
        # This test's statement, the Chinese page, the Latin page with and without words, the terms in a query.
        assert len(_prepared_here(connection)) == 5
        assert all(custom == 0 for _generic, custom in _prepared_here(connection).values())


def search_concepts_on(connection, query):
    from sqlalchemy.orm import Session

    from glossary.search import search_concepts

    with Session(bind=connection) as session:
        return search_concepts(session, query)


def test_postgresql_without_prepared_statements_gives_the_same_answers(make_app):
    app = make_app(POSTGRES_PREPARED_STATEMENTS=False)
    with app.app_context():
        from glossary.extensions import db as _db

        if _db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's prepared statements: set TEST_DATABASE_URL to run (CI does)")
        terms = [{"lang": "en", "text": "oxytocin"}, {"lang": "zh", "text": "催产素"}]
        create_concept(_db.session, {"terms": terms}, None)
        _db.session.commit()
        with _db.engine.connect() as connection:
            hits = search_concepts_on(connection, "催产").results
            assert [h.match_kind for h in hits] == ["prefix"]
            assert "glossary_prepared_statements" not in connection.connection.info
            assert _prepared_here(connection) == {}


def _scans_of(node, found):
    if node.get("Relation Name") == "term" or node.get("Node Type") == "Seq Scan":
        loops = node.get("Actual Loops", 1)
        removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
        index = node.get("Index Name") or ",".join(p.get("Index Name", "?") for p in node.get("Plans", []))
        found.append((node["Node Type"], index, removed * loops))
    for child in node.get("Plans", []):
        _scans_of(child, found)
    return found


def test_postgresql_plans_made_for_any_values_read_only_the_rows_they_find(postgresql, monkeypatch):
    """Each statement the application prepares, planned once for any values (as in service), reaches
    its rows through an index and reads next to nothing it then throws away, for every query form.
    (A prefix as ``LIKE $1``, or a look-up ordered by id, reads a whole language's terms there.)"""
    from psycopg import ClientCursor

    import glossary.search.prepared as prepared_module

    db = postgresql
    for i in range(300):
        terms = [
            {"lang": "zh", "text": f"受体{i}号"},
            {"lang": "en", "text": f"receptor number {i}"},
            {"lang": "en", "text": f"RN{i}", "kind": "abbreviation"},
        ]
        create_concept(db.session, {"terms": terms}, None)
    filler = create_concept(db.session, {"terms": [{"lang": "en", "text": "filler"}]}, None).id
    # 20,000 more terms, so that the planner weighs a scan as it would on a real glossary.
    db.session.connection().exec_driver_sql(
        "INSERT INTO term (concept_id, lang, text, key, kind, status, count, created_at, zh_hant, pinyin_key) "
        "SELECT %(filler)s, lang, k, k, 'full', 'admitted', 1, now(), z, p FROM ("
        " SELECT CASE WHEN g %% 2 = 0 THEN 'zh' ELSE 'en' END AS lang,"
        "  CASE WHEN g %% 2 = 0"
        "   THEN chr(19968 + g * 7 %% 20000) || chr(19968 + g * 13 %% 20000) || chr(19968 + g %% 997)"
        "   ELSE 'x' || md5(g::text) END AS k,"
        "  CASE WHEN g %% 2 = 0 THEN chr(19968 + g * 7 %% 20000) || chr(19968 + g * 13 %% 20000) END AS z,"
        "  CASE WHEN g %% 2 = 0 THEN 'q' || md5(g::text) END AS p"
        " FROM generate_series(1, 20000) AS g) AS rows",
        {"filler": filler},
    )
    db.session.commit()
    db.session.connection().exec_driver_sql("ANALYZE term")
    db.session.commit()
    executed = []
    real = prepared_module._run_prepared

    def recording(connection, statement, names, values):
        executed.append((statement, dict(values)))
        return real(connection, statement, names, values)

    monkeypatch.setattr(prepared_module, "_run_prepared", recording)
    queries = (
        "受体17号",
        "受体17",
        "受体-17号",
        "17号",
        "receptor number 17",
        "receptor num",
        "number 17",
        "RN17",
        "shouti",
        "receptor number 17 and more",
    )
    for query in queries:
        with db.engine.connect() as connection:
            page = search_concepts_on(connection, query)
            assert page.results or page.in_query, query
    assert len({statement.name for statement, _values in executed}) >= 4  # chinese, latin ±words, in-query, …
    with db.engine.connect() as connection:
        cursor = ClientCursor(connection.connection.dbapi_connection)
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table must not hide a missing index path
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for i, (statement, values) in enumerate(executed):
            cursor.execute(f"PREPARE check_{i} AS {statement.sql}")
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + statement.execute.replace(statement.name, f"check_{i}", 1),
                tuple(values[name] for name in statement.order),
            )
            scans = _scans_of(cursor.fetchone()[0][0]["Plan"], [])
            assert not [s for s in scans if s[0] == "Seq Scan"], (values, scans)
            assert all(s[2] <= 20 for s in scans), (values, [s for s in scans if s[2]])
        connection.rollback()


def test_a_failed_execute_of_a_prepared_statement_is_raised_as_sqlalchemy_raises_it(db):
    """On both paths; on PostgreSQL the prepared statement stays usable after the failed transaction."""
    from sqlalchemy import literal_column

    statement = select((literal_column("12") / bindparam("n", type_=Integer)).label("q"))
    with db.engine.connect() as connection:
        prepared = prepare(statement, connection.dialect)
        transaction = connection.begin()
        assert [tuple(row) for row in run(connection, prepared, {"n": 4})] == [(3,)]
        if connection.dialect.name == "sqlite":
            pytest.skip("SQLite divides by zero into NULL: the failing EXECUTE is PostgreSQL's")
        with pytest.raises(DBAPIError) as raised:
            run(connection, prepared, {"n": 0})
        assert raised.value.orig.sqlstate == "22012"  # division_by_zero
        transaction.rollback()
        connection.begin()
        assert [tuple(row) for row in run(connection, prepared, {"n": 6})] == [(2,)]
