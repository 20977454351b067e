"""The writer's check: the editable list of well-known abbreviations (DNA, PCR, SPSS…).

One table; the defaults are not seeded here but read by the service until an
admin first edits the list (see ``glossary/services/well_known.py``), so the
list has one home and a fresh database and a migrated one behave alike.

Revision ID: c14e2a9d4b37
Revises: b16d0c5e7a21
Create Date: 2026-11-29 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c14e2a9d4b37"
down_revision = "b16d0c5e7a21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "well_known_abbreviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_well_known_abbreviation")),
        sa.UniqueConstraint("key", name=op.f("uq_well_known_abbreviation_key")),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("well_known_abbreviation")
