"""Ids never reused: every table whose ids are shown, exported or kept in the
history becomes AUTOINCREMENT on SQLite.

Without it SQLite hands the highest deleted rowid out again: a concept created
after the newest one was deleted took its id, so bookmarks, API clients,
exported TBX entries ("c75") and the deleted concept's history (with its
"Restore" button) named a different concept. PostgreSQL's sequences never go
back, so there this revision does nothing.

SQLite cannot add AUTOINCREMENT to a table, so each one is rebuilt (Alembic's
batch mode: copy, drop, rename), keeping every id and row. migrations/env.py
turns foreign-key enforcement off around migrations, because dropping the old
parent table would otherwise fire ON DELETE CASCADE on its children. Each
table's sequence then starts past its highest id, and past every id the
history still names: a concept or user deleted before this revision keeps its
id to itself too.

Revision ID: cef07b438dbb
Revises: 96acbebf6e8d
Create Date: 2026-11-28 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'cef07b438dbb'
down_revision = '96acbebf6e8d'
branch_labels = None
depends_on = None

# Parents before children, so that a rebuilt child refers to an already rebuilt parent.
TABLES = ('concept', 'source', 'user_account', 'revision', 'candidate', 'term', 'evidence', 'api_token')
# Ids of rows that may be gone but that the history names: (table, history column).
NAMED_BY_HISTORY = {'concept': 'concept_id', 'user_account': 'user_id'}


def _rebuild(autoincrement):
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always',
                                  table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass


def _seed_sequences(conn):
    """Start each table's sequence past its highest id and past the ids its history names."""
    for table in TABLES:
        floor = conn.execute(sa.text(f'SELECT COALESCE(MAX(id), 0) FROM {table}')).scalar()
        column = NAMED_BY_HISTORY.get(table)
        if column:
            named = conn.execute(sa.text(f'SELECT COALESCE(MAX({column}), 0) FROM revision')).scalar()
            floor = max(floor, named)
        if not floor:
            continue
        updated = conn.execute(sa.text('UPDATE sqlite_sequence SET seq = MAX(seq, :floor) WHERE name = :name'),
                               {'floor': floor, 'name': table}).rowcount
        if not updated:
            conn.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :floor)'),
                         {'floor': floor, 'name': table})


def _begin(conn):
    """One transaction for the whole rebuild, so that a failure leaves every table as it was.

    pysqlite opens a transaction only at the first INSERT, UPDATE or DELETE: the
    first CREATE TABLE of a rebuild would otherwise commit on its own.
    """
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql('BEGIN')


def _check_references(conn):
    """Foreign keys are not enforced during migrations (env.py): check them before committing."""
    broken = conn.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
    if broken:
        raise RuntimeError(f'rebuilding the tables would break {len(broken)} references, e.g. {broken[:3]}')


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        return  # identities and sequences never hand an id out twice
    _begin(conn)
    _rebuild(autoincrement=True)
    _seed_sequences(conn)
    _check_references(conn)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        return
    _begin(conn)
    # Plain rowid tables again; dropping the AUTOINCREMENT tables drops their sequences.
    _rebuild(autoincrement=False)
    _check_references(conn)
