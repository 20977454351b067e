"""The database's own search structures over ``term``: kept current by the database itself.

Substring, word-prefix and typo candidates are answered by the database, in the
same transaction as every write, so no process keeps an index of its own and a
new worker answers at once.

SQLite (FTS5, contentless: the rows are ``term``'s, the index holds only tokens):

* ``term_trigram`` (trigram tokenizer): each Chinese term's *compact* key (the
  simplified key without hyphens and middle dots, so ``肠脑轴`` is inside
  ``肠-脑轴``) followed by two ``\\x01``, and each English full name or variant's
  key. A query of three characters or more is a phrase of trigrams; a shorter
  one is a prefix of some trigram thanks to the padding, found through
  ``term_trigram_vocab`` (fts5vocab). English typo candidates are the terms
  containing an intact piece of the query.
* ``term_words`` (unicode61 tokenizer): English full names and variants, for
  word prefixes (``fatty ac``).
* ``ix_term_lang_compact_key``: an expression index on ``(lang, compact key)``
  for exact and prefix matches that ignore those separators.
* ``ix_term_kind_key``: abbreviations by key, so an abbreviation prefix
  (``TNF`` → ``TNF-α``) does not read every English name with that prefix.
* Triggers on ``term`` insert, delete and key change feed both: no write path
  (ORM, Core bulk insert, the import's copy from staging, a cascade from a
  deleted concept) can forget them.

PostgreSQL (``pg_trgm``, a trusted extension since PostgreSQL 13, so the
database owner may create it): GIN trigram indexes on the key and the compact
key for ``LIKE '%q%'``, ``text_pattern_ops`` B-trees for prefix ranges under
any collation, and a GIN index of the key's words (``WORDS_SQL``, migration
``a27c5d1e9f30``) for word prefixes (``'fatty' & 'ac':*``).

Everything here is DDL attached to the ``term`` table (``db.create_all()``
creates it) and repeated, frozen, in migration ``d13a7f0c2e58``. None of it is
in the metadata, so ``register_autogenerate_filter`` tells Alembic's comparison
that these tables and indexes are expected, not strays to drop.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event

__all__ = [
    "COMPACT_SEPARATORS",
    "SEARCH_INDEX_NAMES",
    "SEARCH_TABLE_PREFIXES",
    "WORDS_SQL",
    "compact_sql",
    "create_search_structures",
    "drop_search_structures",
    "postgresql_statements",
    "sqlite_statements",
]

# PostgreSQL: a key's words, as its word index holds them and a word-prefix search asks for them. Hyphens
# are spaces first: the parser reads "il-6" as "il" and the number "-6", where a query's words are il, 6.
WORDS_SQL = "to_tsvector('simple'::regconfig, replace(key, '-', ' '))"
# Written between parts of a Chinese term and ignored by a reader: 肠-脑轴 is 肠脑轴.
COMPACT_SEPARATORS = ("-", "·", "・", "‧")
# Two characters no key holds (fold_common drops control characters): the padding after a Chinese key.
PAD = "char(1, 1)"


def compact_sql(column: str) -> str:
    """SQL for a key without the separators above (the same text in the triggers and the queries)."""
    expression = column
    for separator in COMPACT_SEPARATORS:
        expression = f"replace({expression}, '{separator}', '')"
    return expression


def _trigram_text(row: str) -> str:
    return f"CASE WHEN {row}.lang = 'zh' THEN {compact_sql(f'{row}.key')} || {PAD} ELSE {row}.key END"


def _trigram_wanted(row: str) -> str:
    return f"({row}.lang = 'zh' OR {row}.kind <> 'abbreviation')"


def _words_wanted(row: str) -> str:
    return f"({row}.lang = 'en' AND {row}.kind <> 'abbreviation')"


def _feed(row: str) -> str:
    return (
        f"INSERT INTO term_trigram(rowid, key) SELECT {row}.id, {_trigram_text(row)} "
        f"WHERE {_trigram_wanted(row)}; "
        f"INSERT INTO term_words(rowid, key) SELECT {row}.id, {row}.key WHERE {_words_wanted(row)};"
    )


def _unfeed(row: str) -> str:
    # A contentless table forgets a row when told the values it indexed: the same expressions.
    return (
        f"INSERT INTO term_trigram(term_trigram, rowid, key) SELECT 'delete', {row}.id, {_trigram_text(row)} "
        f"WHERE {_trigram_wanted(row)}; "
        f"INSERT INTO term_words(term_words, rowid, key) SELECT 'delete', {row}.id, {row}.key "
        f"WHERE {_words_wanted(row)};"
    )


def sqlite_statements() -> list[str]:
    """Create the FTS5 tables and triggers (the tables empty: see ``sqlite_backfill``)."""
    return [
        "CREATE VIRTUAL TABLE term_trigram USING fts5(key, content='', tokenize='trigram')",
        "CREATE VIRTUAL TABLE term_trigram_vocab USING fts5vocab(term_trigram, 'row')",
        "CREATE VIRTUAL TABLE term_words USING fts5(key, content='', "
        "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
        f"CREATE INDEX ix_term_lang_compact_key ON term (lang, {compact_sql('key')})",
        "CREATE INDEX ix_term_kind_key ON term (kind, key)",
        f"CREATE TRIGGER term_search_insert AFTER INSERT ON term BEGIN {_feed('new')} END",
        f"CREATE TRIGGER term_search_delete AFTER DELETE ON term BEGIN {_unfeed('old')} END",
        f"CREATE TRIGGER term_search_update AFTER UPDATE OF lang, kind, key ON term "
        f"BEGIN {_unfeed('old')} {_feed('new')} END",
    ]


def sqlite_backfill() -> list[str]:
    """Index the terms already there (a migration's upgrade)."""
    t = "term"
    return [
        f"INSERT INTO term_trigram(rowid, key) SELECT id, {_trigram_text(t)} FROM term WHERE {_trigram_wanted(t)}",
        f"INSERT INTO term_words(rowid, key) SELECT id, key FROM term WHERE {_words_wanted(t)}",
    ]


def sqlite_drop_statements() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS term_search_update",
        "DROP TRIGGER IF EXISTS term_search_delete",
        "DROP TRIGGER IF EXISTS term_search_insert",
        "DROP TABLE IF EXISTS term_words",
        "DROP TABLE IF EXISTS term_trigram_vocab",
        "DROP TABLE IF EXISTS term_trigram",
        "DROP INDEX IF EXISTS ix_term_lang_compact_key",
        "DROP INDEX IF EXISTS ix_term_kind_key",
    ]


_PG_INDEXES = {
    "ix_term_key_trgm": "USING gin (key gin_trgm_ops)",
    "ix_term_compact_key_trgm": f"USING gin (({compact_sql('key')}) gin_trgm_ops)",
    "ix_term_lang_key_pattern": "(lang, key text_pattern_ops)",
    "ix_term_lang_compact_key_pattern": f"(lang, ({compact_sql('key')}) text_pattern_ops)",
    "ix_term_pinyin_key_pattern": "(pinyin_key text_pattern_ops)",
    "ix_term_zh_hant_pattern": "(zh_hant text_pattern_ops)",
    "ix_term_kind_key_pattern": "(kind, key text_pattern_ops)",
    "ix_term_key_words": f"USING gin ({WORDS_SQL})",
}


def postgresql_statements() -> list[str]:
    """The extension (trusted: a database owner may create it) and the indexes."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        *(f"CREATE INDEX IF NOT EXISTS {name} ON term {how}" for name, how in _PG_INDEXES.items()),
    ]


SEARCH_TABLE_PREFIXES = ("term_trigram", "term_words")
SEARCH_INDEX_NAMES = frozenset({*_PG_INDEXES, "ix_term_lang_compact_key", "ix_term_kind_key"})


def create_search_structures(connection: Any) -> None:
    """Create this dialect's structures on an existing ``term`` table (empty or not: no backfill)."""
    statements = sqlite_statements() if connection.dialect.name == "sqlite" else postgresql_statements()
    for statement in statements:
        connection.exec_driver_sql(statement)


def optimize_search_structures(connection: Any) -> None:
    """After a bulk load or a large import: merge each FTS5 index into one segment (SQLite; rows
    inserted in many transactions leave dozens, and every look-up searches each) and refresh the
    planner's statistics. Seconds at a million concepts; readers go on meanwhile."""
    if connection.dialect.name == "sqlite":
        for table in SEARCH_TABLE_PREFIXES:
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES('optimize')")
    connection.exec_driver_sql("ANALYZE term")


def drop_search_structures(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in sqlite_drop_statements():
            connection.exec_driver_sql(statement)
    else:
        for name in _PG_INDEXES:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def attach_to(table: Any) -> None:
    """``create_all`` / ``drop_all`` create and drop the structures with the ``term`` table."""
    for statement in sqlite_statements():
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgresql_statements():
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in sqlite_drop_statements():
        event.listen(table, "after_drop", DDL(statement).execute_if(dialect="sqlite"))


def _is_search_object(op: Any) -> bool:
    """An Alembic operation about a table or index of this module (expected, not a difference)."""
    name = getattr(op, "table_name", None) if type(op).__name__.endswith("TableOp") else None
    if name and name.startswith(SEARCH_TABLE_PREFIXES):
        return True
    return getattr(op, "index_name", None) in SEARCH_INDEX_NAMES or getattr(op, "name", None) in SEARCH_INDEX_NAMES


def _drop_search_objects(_context: Any, upgrade_ops: Any, _schemas: Any) -> Any:
    from alembic.util import PriorityDispatchResult

    kept = []
    for op in upgrade_ops.ops:
        if hasattr(op, "ops"):  # ModifyTableOps: the indexes of one table
            op.ops = [inner for inner in op.ops if not _is_search_object(inner)]
            if not op.ops:
                continue
        elif _is_search_object(op):
            continue
        kept.append(op)
    upgrade_ops.ops[:] = kept
    return PriorityDispatchResult.CONTINUE


def register_autogenerate_filter() -> None:
    """Teach Alembic's comparison (``flask db migrate``, the migration test) that these are expected."""
    try:
        from alembic.autogenerate.compare import comparators
        from alembic.util import DispatchPriority
    except ImportError:  # an Alembic without priority dispatch (or none at all): nothing to teach
        return
    comparators.dispatch_for("schema", priority=DispatchPriority.LAST, subgroup="glossary_search")(_drop_search_objects)
