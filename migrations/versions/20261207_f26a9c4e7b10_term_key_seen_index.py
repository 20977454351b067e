"""An index of each key's terms, most seen first, covering what look-ups read.

``ix_term_lang_key_seen`` on ``term (lang, key, count DESC, id, kind, concept_id)``:
a key that thousands of concepts share (a common one-word English name) is
answered from the index alone. The terms inside a query read a key's most seen
terms in index order and stop; a batch look-up counts and ranks a key's concepts
without reading a table row. Plain B-tree, the same on SQLite and PostgreSQL.

Revision ID: f26a9c4e7b10
Revises: e15b3c8d1f40
Create Date: 2026-12-07 20:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "f26a9c4e7b10"
down_revision = "e15b3c8d1f40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.create_index(
            "ix_term_lang_key_seen", ["lang", "key", sa.text("count DESC"), "id", "kind", "concept_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.drop_index("ix_term_lang_key_seen")
