"""Read statements run on the driver's own cursor: compiled once, plain tuples back.

A search page is one statement that the database answers in a few tenths of a
millisecond; SQLAlchemy's execution path around it (a parameter dict rebuilt
for each of its hundred binds, an execution context, a result object, a ``Row``
per row) cost as much again. The hot read paths (search, the terms inside a
query, the concepts a batch loads) therefore compile their Core statement once
per database kind and run the SQL text on the DB-API cursor of the session's
own connection, inside the session's transaction, with the parameters in the
order the compiler wrote them. What comes back is the driver's tuples, read by
position.

Only statements whose parameters need no conversion qualify: text, integers,
and arrays as ``arrays.array_value`` makes them. ``prepare`` refuses a
statement with expanding parameters or with a type that converts its values,
so a statement that would need SQLAlchemy's help fails at once, in the tests.
These statements bypass the engine's ``before_cursor_execute`` events (SQL
echo does not show them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

__all__ = ["Prepared", "prepare", "prepared", "run"]


@dataclass(frozen=True)
class Prepared:
    """A statement compiled for one database kind: its SQL text, the order of its parameters (``None``
    where the driver takes them by name), the values the statement fixes itself, and its columns."""

    sql: str
    order: tuple[str, ...] | None
    fixed: dict[str, Any]
    columns: dict[str, int]

    def params(self, values: dict[str, Any]) -> Any:
        merged = {**self.fixed, **values}
        return merged if self.order is None else tuple(merged[name] for name in self.order)


def prepare(statement: Any, dialect: Dialect) -> Prepared:
    """Compile ``statement`` for ``dialect`` once; call from a cache (``lru_cache`` on the builder)."""
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
    columns = {name: i for i, name in enumerate(statement.selected_columns.keys())}
    return Prepared(str(compiled), order, fixed, columns)


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


def run(connection: Connection, prepared: Prepared, values: dict[str, Any]) -> Sequence[Any]:
    """The rows of ``prepared`` with ``values`` on ``connection`` (a session's: its transaction)."""
    params = prepared.params(values)
    cursor = connection.connection.cursor()
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        cursor.execute(prepared.sql, params)
        return cursor.fetchall()
    except dbapi_error as exc:
        # Wrapped as SQLAlchemy wraps it, so the handlers that tell "busy" (503) from a fault see it.
        raise DBAPIError.instance(prepared.sql, params, exc, dbapi_error, dialect=connection.dialect) from exc
    finally:
        cursor.close()
