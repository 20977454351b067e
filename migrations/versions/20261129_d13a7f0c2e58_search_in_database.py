"""Search inside the database: FTS5 tables and triggers on SQLite, pg_trgm and pattern indexes on PostgreSQL.

Substring, word-prefix and typo candidates, and matches that ignore the hyphens
and middle dots of Chinese terms, are answered by the database, current in the
same transaction as every write (see ``glossary/models/search_index.py``; the
statements are repeated here as they were when this revision was written).

SQLite: two contentless FTS5 tables fed by triggers on ``term`` (filled here from
the existing rows), a vocabulary view of the trigram table, and an expression
index on the compact key and one on abbreviations' keys. A later revision that rebuilds ``term`` by copying it
(batch mode) drops the triggers with the old table and must create them again.

PostgreSQL: ``CREATE EXTENSION IF NOT EXISTS pg_trgm`` (a trusted extension
since PostgreSQL 13: the database's owner may create it without being a
superuser), GIN trigram indexes and ``text_pattern_ops`` B-trees; building an
index reads the existing rows, so no backfill is needed. The downgrade keeps the
extension, which other objects may use.

Revision ID: d13a7f0c2e58
Revises: c14e2a9d4b37
Create Date: 2026-11-29 12:00:00.000000
"""

from alembic import op

revision = "d13a7f0c2e58"
down_revision = "c14e2a9d4b37"
branch_labels = None
depends_on = None


def _compact(column):
    """The key without hyphens and middle dots: 肠-脑轴 is 肠脑轴."""
    for separator in ("-", "·", "・", "‧"):
        column = f"replace({column}, '{separator}', '')"
    return column


def _trigram_text(row):
    return f"CASE WHEN {row}.lang = 'zh' THEN {_compact(row + '.key')} || char(1, 1) ELSE {row}.key END"


def _trigram_wanted(row):
    return f"({row}.lang = 'zh' OR {row}.kind <> 'abbreviation')"


def _words_wanted(row):
    return f"({row}.lang = 'en' AND {row}.kind <> 'abbreviation')"


def _feed(row):
    return (
        f"INSERT INTO term_trigram(rowid, key) SELECT {row}.id, {_trigram_text(row)} "
        f"WHERE {_trigram_wanted(row)}; "
        f"INSERT INTO term_words(rowid, key) SELECT {row}.id, {row}.key WHERE {_words_wanted(row)};"
    )


def _unfeed(row):
    return (
        f"INSERT INTO term_trigram(term_trigram, rowid, key) SELECT 'delete', {row}.id, {_trigram_text(row)} "
        f"WHERE {_trigram_wanted(row)}; "
        f"INSERT INTO term_words(term_words, rowid, key) SELECT 'delete', {row}.id, {row}.key "
        f"WHERE {_words_wanted(row)};"
    )


SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE term_trigram USING fts5(key, content='', tokenize='trigram')",
    "CREATE VIRTUAL TABLE term_trigram_vocab USING fts5vocab(term_trigram, 'row')",
    "CREATE VIRTUAL TABLE term_words USING fts5(key, content='', "
    "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    f"CREATE INDEX ix_term_lang_compact_key ON term (lang, {_compact('key')})",
    "CREATE INDEX ix_term_kind_key ON term (kind, key)",
    f"CREATE TRIGGER term_search_insert AFTER INSERT ON term BEGIN {_feed('new')} END",
    f"CREATE TRIGGER term_search_delete AFTER DELETE ON term BEGIN {_unfeed('old')} END",
    f"CREATE TRIGGER term_search_update AFTER UPDATE OF lang, kind, key ON term "
    f"BEGIN {_unfeed('old')} {_feed('new')} END",
]
SQLITE_BACKFILL = [
    f"INSERT INTO term_trigram(rowid, key) SELECT id, {_trigram_text('term')} FROM term "
    f"WHERE {_trigram_wanted('term')}",
    f"INSERT INTO term_words(rowid, key) SELECT id, key FROM term WHERE {_words_wanted('term')}",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS term_search_update",
    "DROP TRIGGER IF EXISTS term_search_delete",
    "DROP TRIGGER IF EXISTS term_search_insert",
    "DROP TABLE IF EXISTS term_words",
    "DROP TABLE IF EXISTS term_trigram_vocab",
    "DROP TABLE IF EXISTS term_trigram",
    "DROP INDEX IF EXISTS ix_term_lang_compact_key",
    "DROP INDEX IF EXISTS ix_term_kind_key",
]
POSTGRESQL_INDEXES = {
    "ix_term_key_trgm": "USING gin (key gin_trgm_ops)",
    "ix_term_compact_key_trgm": f"USING gin (({_compact('key')}) gin_trgm_ops)",
    "ix_term_lang_key_pattern": "(lang, key text_pattern_ops)",
    "ix_term_lang_compact_key_pattern": f"(lang, ({_compact('key')}) text_pattern_ops)",
    "ix_term_pinyin_key_pattern": "(pinyin_key text_pattern_ops)",
    "ix_term_zh_hant_pattern": "(zh_hant text_pattern_ops)",
    "ix_term_kind_key_pattern": "(kind, key text_pattern_ops)",
}


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP + SQLITE_CREATE + SQLITE_BACKFILL:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, how in POSTGRESQL_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON term {how}")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
        return
    for name in POSTGRESQL_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
