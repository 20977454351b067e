"""Candidate rationale: why the miner chose a candidate's reading (reasons,
lexicon matches, recurrence), shown to the curator in the review queue.

Rows mined before this revision get an empty object from the server default,
which the queue and the API read as "no rationale recorded".

Revision ID: b2b207a25e3a
Revises: 9b2783515d2b
Create Date: 2026-11-27 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'b2b207a25e3a'
down_revision = '9b2783515d2b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rationale', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('rationale')
