"""A list of values as one bound parameter, on either database.

Binding thousands of values one by one (SQLAlchemy's expanding parameters)
costs more than the query that reads them, and changes the statement's text
with every length. Instead the list travels as one parameter: a JSON array
that SQLite reads with ``json_each``, an array that PostgreSQL compares with
``= ANY``. Both probe the column's index once per value.

    where(among(Term.__table__.c.key, "keys", dialect))   # statement, built once
    {"keys": array_value(dialect, ["ht", "5ht"])}         # values, each time
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine

__all__ = ["among", "array_value"]


def among(column: Any, name: str, dialect: str, item_type: type[TypeEngine[Any]] = String) -> Any:
    """``column`` equals one of the values bound as ``name`` (pass them through ``array_value``)."""
    if dialect == "sqlite":
        return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam(name))))
    return column == any_(bindparam(name, type_=ARRAY(item_type)))


def array_value(dialect: str, values: Iterable[Any]) -> Any:
    """The bound value ``among`` reads: a JSON array on SQLite, a list elsewhere."""
    if dialect == "sqlite":
        return json.dumps(list(values), ensure_ascii=False)
    return list(values)
