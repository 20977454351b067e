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
