"""Document types: a source keeps what it was read as, its pages and characters; evidence keeps its page.

PDF, Word, Markdown and HTML files are mined as well as plain text. ``source``
gains ``kind`` (pdf, docx, markdown, html, text; the sources mined before
were all plain text, which the server default says), ``pages`` (PDF only) and
``characters`` (the text mined; unknown, NULL, for older sources), and
``evidence`` gains the ``page`` its sentence was printed on (NULL without
pages). Columns are only added, in place (no table copy on SQLite, so the
tables keep AUTOINCREMENT), and the downgrade drops them again.

Revision ID: b16d0c5e7a21
Revises: e3b7a1c94d20
Create Date: 2026-11-29 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'b16d0c5e7a21'
down_revision = 'e3b7a1c94d20'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('source', sa.Column('kind', sa.String(length=16), server_default='text', nullable=False))
    op.add_column('source', sa.Column('pages', sa.Integer(), nullable=True))
    op.add_column('source', sa.Column('characters', sa.Integer(), nullable=True))
    op.add_column('evidence', sa.Column('page', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('evidence', 'page')
    op.drop_column('source', 'characters')
    op.drop_column('source', 'pages')
    op.drop_column('source', 'kind')
