"""PostgreSQL: an index of each key's words, for word-prefix search.

``ix_term_key_words``: GIN on ``to_tsvector('simple'::regconfig, replace(key,
'-', ' '))`` (hyphens as spaces: the parser reads ``il-6`` as ``il`` and ``-6``). A
word-prefix query (``fatty ac``) becomes ``'fatty' & 'ac':*`` against it: one
index look-up whatever the words, where the trigram tests it replaces read every
key holding a common trigram, and could not be planned once for any words
(search statements are prepared once per connection). SQLite answers word
prefixes from its FTS5 ``term_words`` table, unchanged.

Revision ID: a27c5d1e9f30
Revises: f26a9c4e7b10
Create Date: 2026-12-08 02:40:00.000000
"""

from alembic import op

revision = "a27c5d1e9f30"
down_revision = "f26a9c4e7b10"
branch_labels = None
depends_on = None

# Frozen here: the application's copy (glossary/models/search_index.py) may change after this revision.
WORDS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_term_key_words ON term USING gin (to_tsvector('simple'::regconfig, replace(key, '-', ' ')))"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(WORDS_INDEX)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_term_key_words")
