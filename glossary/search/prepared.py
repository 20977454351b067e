"""Read statements run on the driver's own cursor: compiled once, plain tuples back.

A search page is one statement that the database answers in a few tenths of a
millisecond; SQLAlchemy's execution path around it (a parameter dict rebuilt
for each of its hundred binds, an execution context, a result object, a ``Row``
per row) cost as much again. The hot read paths (search, the terms inside a
query, the concepts a batch loads) therefore compile their Core statement once
per database kind and run the SQL text on the DB-API cursor of the session's
own connection, inside the session's transaction, with the parameters in the
order the compiler wrote them. What comes back is the driver's tuples, read by
position. The values a statement fixes itself (a form's name, a language, a
rank's constants) are written into its SQL, so a plan made without the
caller's values still sees them.

On PostgreSQL each connection also prepares such a statement once (``PREPARE``)
and then only ``EXECUTE``s it: planning the statement for its values cost
several times more than running it, and its one plan is written for any values
(``plan_cache_mode = force_generic_plan``, set per connection by
``database.py``). So the statements are built to have such a plan: prefix
ranges as ``~>=~``/``~<~`` on ``text_pattern_ops`` indexes, no ``LIKE`` on a
bound prefix. ``POSTGRES_PREPARED_STATEMENTS`` off (for a pooler that moves a
client between server connections) runs them as plain statements.

Only statements whose parameters need no conversion qualify: text, integers,
and arrays as ``arrays.array_value`` makes them. ``prepare`` refuses a
statement with expanding parameters or with a type that converts its values,
so a statement that would need SQLAlchemy's help fails at once, in the tests.
These statements bypass the engine's ``before_cursor_execute`` events (SQL
echo does not show them).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY, literal_column
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import CompileError, DBAPIError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from ..database import PREPARED_STATEMENTS

__all__ = ["Prepared", "prepare", "prepared", "run"]


@dataclass(frozen=True)
class ServerStatement:
    """A statement as PostgreSQL's ``PREPARE`` takes it: its name (from its text), its text with
    ``$1``…, the order of its values, and the ``EXECUTE`` that runs it."""

    name: str
    sql: str
    order: tuple[str, ...]
    execute: str


@dataclass(frozen=True)
class Prepared:
    """A statement compiled for one database kind: its SQL text, the order of its parameters (``None``
    where the driver takes them by name), the values the statement fixes itself that could not be
    written into its text, its columns, and (PostgreSQL) its form for ``PREPARE``."""

    sql: str
    order: tuple[str, ...] | None
    fixed: dict[str, Any]
    columns: dict[str, int]
    server: ServerStatement | None = None

    def params(self, values: dict[str, Any]) -> Any:
        merged = {**self.fixed, **values}
        return merged if self.order is None else tuple(merged[name] for name in self.order)


def prepare(statement: Any, dialect: Dialect) -> Prepared:
    """Compile ``statement`` for ``dialect`` once; call from a cache (``lru_cache`` on the builder)."""
    columns = {name: i for i, name in enumerate(statement.selected_columns.keys())}
    statement = _fixed_values_written(statement, dialect)
    compiled = statement.compile(dialect=dialect)
    binds = compiled.binds  # by the name the SQL gives each parameter
    expanding = [name for name, bind in binds.items() if bind.expanding]
    if expanding:
        raise ValueError(f"expanding parameters need SQLAlchemy at each execution: {expanding}")
    converting = [name for name, bind in binds.items() if _converts(bind.type, dialect)]
    if converting:
        raise ValueError(f"parameters whose values SQLAlchemy converts: {converting}")
    fixed = {name: value for name, value in compiled.params.items() if value is not None}
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
    server = _server_statement(statement, dialect) if dialect.name == "postgresql" else None
    return Prepared(str(compiled), order, fixed, columns, server)


def _fixed_values_written(statement: Any, dialect: Dialect) -> Any:
    """``statement`` with each parameter that carries its own value (``literal("zh")``) written as a
    literal, where its type can be written so."""

    def written(element: Any, **_kw: Any) -> Any:
        if not isinstance(element, BindParameter) or element.value is None or element.expanding:
            return None
        try:
            sql = str(element.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        except CompileError:
            return None
        return literal_column(sql, type_=element.type)

    options: dict[str, Any] = {}
    return visitors.replacement_traverse(statement, options, written)


def _server_statement(statement: Any, dialect: Dialect) -> ServerStatement:
    numbered = copy.copy(dialect)
    numbered.paramstyle, numbered.positional = "numeric_dollar", True
    compiled = statement.compile(dialect=numbered)
    if compiled.params and any(value is not None for value in compiled.params.values()):
        raise ValueError("a value fixed by the statement could not be written into its text")
    sql = str(compiled)
    order = tuple(compiled.positiontup or ())
    name = "glossary_" + hashlib.sha1(sql.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]
    execute = f"EXECUTE {name}({', '.join(['%s'] * len(order))})" if order else f"EXECUTE {name}"
    return ServerStatement(name, sql, order, execute)


@lru_cache(maxsize=32)
def prepared(build: Callable[[str], Any], dialect: Dialect) -> Prepared:
    """``prepare(build(dialect.name), dialect)``, once per statement builder and database kind."""
    return prepare(build(dialect.name), dialect)


def _converts(type_: Any, dialect: Dialect) -> bool:
    """Whether SQLAlchemy would change a value of this type before the driver sees it (an array of
    plain items only becomes a list, which ``array_value`` already gives)."""
    if isinstance(type_, ARRAY):
        return _converts(type_.item_type, dialect)
    return type_.dialect_impl(dialect).bind_processor(dialect) is not None


def run(
    connection: Connection, prepared: Prepared, values: dict[str, Any], *, plan_for_values: bool = False
) -> Sequence[Any]:
    """The rows of ``prepared`` with ``values`` on ``connection`` (a session's: its transaction).

    ``plan_for_values``: these values need a plan of their own (PostgreSQL plans the plain statement
    for them instead of running the prepared one), as a one-character ``LIKE '%x%'`` does, which no
    trigram index can serve."""
    pooled = connection.connection
    names = pooled.info.get(PREPARED_STATEMENTS) if prepared.server is not None and not plan_for_values else None
    if names is not None:
        return _run_prepared(connection, prepared.server, names, values)  # type: ignore[arg-type]
    params = prepared.params(values)
    cursor = pooled.cursor()
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        cursor.execute(prepared.sql, params)
        return cursor.fetchall()
    except dbapi_error as exc:
        # Wrapped as SQLAlchemy wraps it, so the handlers that tell "busy" (503) from a fault see it.
        raise DBAPIError.instance(prepared.sql, params, exc, dbapi_error, dialect=connection.dialect) from exc
    finally:
        cursor.close()


def _run_prepared(
    connection: Connection, statement: ServerStatement, names: set[str], values: dict[str, Any]
) -> Sequence[Any]:
    """``EXECUTE`` the statement, after a ``PREPARE`` the first time on this connection (a prepared
    statement outlives the transaction: a rollback does not remove it).

    ``EXECUTE`` is a command, which takes no bound parameters: its values are written into it by the
    driver (psycopg's client-side binding, which quotes them)."""
    from psycopg import ClientCursor

    params = tuple(values[name] for name in statement.order)
    raw: Any = connection.connection.dbapi_connection
    dbapi_error = connection.dialect.loaded_dbapi.Error
    cursor = ClientCursor(raw)
    sql = statement.execute
    try:
        if statement.name not in names:
            sql = f"PREPARE {statement.name} AS {statement.sql}"
            cursor.execute(sql)
            names.add(statement.name)
            sql = statement.execute
        cursor.execute(sql, params)
        return cursor.fetchall()
    except dbapi_error as exc:
        raise DBAPIError.instance(sql, params, exc, dbapi_error, dialect=connection.dialect) from exc
    finally:
        cursor.close()
