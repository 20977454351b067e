"""Curation pages: domains as a managed list, curators' internal notes, related concepts.

``domain`` lists the subject fields curators choose from; it starts with every
domain the concepts already name (trimmed), so no concept loses its own.
``concept_internal_note`` holds the curators' working note of a concept (the
existing ``concept.note`` stays the public note); ``concept_relation`` links
concepts (see also, broader/narrower); ``term_note`` is a public note or source
of one term. All three start empty. Curated traditional
forms need no schema change: ``term.zh_hant`` holds them.

Revision ID: e15b3c8d1f40
Revises: d13a7f0c2e58
Create Date: 2026-11-29 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "e15b3c8d1f40"
down_revision = "d13a7f0c2e58"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain")),
        sa.UniqueConstraint("name", name=op.f("uq_domain_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "concept_internal_note",
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concept.id"], name=op.f("fk_concept_internal_note_concept_id_concept"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("concept_id", name=op.f("pk_concept_internal_note")),
    )
    op.create_table(
        "concept_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('see_also', 'broader')", name=op.f("ck_concept_relation_kind")),
        sa.CheckConstraint("concept_id <> target_id", name=op.f("ck_concept_relation_not_itself")),
        sa.ForeignKeyConstraint(
            ["concept_id"], ["concept.id"], name=op.f("fk_concept_relation_concept_id_concept"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["concept.id"], name=op.f("fk_concept_relation_target_id_concept"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concept_relation")),
        sa.UniqueConstraint("concept_id", "target_id", "kind", name=op.f("uq_concept_relation_concept_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_concept_relation_concept_id"), "concept_relation", ["concept_id"])
    op.create_index(op.f("ix_concept_relation_target_id"), "concept_relation", ["target_id"])
    op.create_table(
        "term_note",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["term_id"], ["term.id"], name=op.f("fk_term_note_term_id_term"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("term_id", name=op.f("pk_term_note")),
    )
    # Every domain already in use becomes an entry of the list (trimmed; blanks are no domain).
    op.execute(
        "INSERT INTO domain (name, created_at) "
        "SELECT DISTINCT TRIM(domain), CURRENT_TIMESTAMP FROM concept "
        "WHERE domain IS NOT NULL AND TRIM(domain) <> ''"
    )


def downgrade():
    op.drop_table("term_note")
    op.drop_index(op.f("ix_concept_relation_target_id"), table_name="concept_relation")
    op.drop_index(op.f("ix_concept_relation_concept_id"), table_name="concept_relation")
    op.drop_table("concept_relation")
    op.drop_table("concept_internal_note")
    op.drop_table("domain")
