"""Initial schema: concepts and terms with search keys, sources, evidence,
candidates, users, API tokens and the revision history.

Revision ID: 9b2783515d2b
Revises: 
Create Date: 2026-11-22 11:10:50.433283
"""

from alembic import op
import sqlalchemy as sa


revision = '9b2783515d2b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('concept',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=100), nullable=True),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'approved')", name=op.f('ck_concept_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concept'))
    )
    with op.batch_alter_table('concept', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concept_domain'), ['domain'], unique=False)

    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision'))
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revision_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_revision_user_id'), ['user_id'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('encoding', sa.String(length=40), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('sha256', name=op.f('uq_source_sha256'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'curator', 'admin')", name=op.f('ck_user_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('name', name=op.f('uq_user_account_name'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zh', sa.String(length=500), nullable=False),
    sa.Column('en', sa.String(length=500), nullable=False),
    sa.Column('abbr', sa.String(length=100), nullable=False),
    sa.Column('dedupe_key', sa.String(length=1200), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('alternatives', sa.JSON(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'approved', 'rejected', 'merged')", name=op.f('ck_candidate_status')),
    sa.ForeignKeyConstraint(['concept_id'], ['concept.id'], name=op.f('fk_candidate_concept_id_concept'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_candidate_dedupe_key'))
    )
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index('ix_candidate_status_rank', ['status', 'confidence', 'count'], unique=False)

    op.create_table('term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('zh_hans', sa.String(length=500), nullable=True),
    sa.Column('zh_hant', sa.String(length=500), nullable=True),
    sa.Column('pinyin', sa.String(length=1000), nullable=True),
    sa.Column('pinyin_key', sa.String(length=1000), nullable=True),
    sa.Column('pinyin_numbered', sa.String(length=1000), nullable=True),
    sa.Column('pinyin_initials', sa.String(length=500), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('full', 'abbreviation', 'variant')", name=op.f('ck_term_kind')),
    sa.CheckConstraint("lang IN ('zh', 'en')", name=op.f('ck_term_lang')),
    sa.CheckConstraint("status IN ('preferred', 'admitted', 'deprecated')", name=op.f('ck_term_status')),
    sa.ForeignKeyConstraint(['concept_id'], ['concept.id'], name=op.f('fk_term_concept_id_concept'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term'))
    )
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index('ix_term_kind_text', ['kind', 'text'], unique=False)
        batch_op.create_index('ix_term_lang_key', ['lang', 'key'], unique=False)
        batch_op.create_index('ix_term_pinyin_initials', ['pinyin_initials'], unique=False)
        batch_op.create_index('ix_term_pinyin_key', ['pinyin_key'], unique=False)
        batch_op.create_index('ix_term_zh_hant', ['zh_hant'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=True),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('term', sa.String(length=1000), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_evidence_candidate_id_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['concept_id'], ['concept.id'], name=op.f('fk_evidence_concept_id_concept'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_evidence_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_concept_id'), ['concept_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_source_id'), ['source_id'], unique=False)



def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_source_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_concept_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_candidate_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.drop_index('ix_term_zh_hant')
        batch_op.drop_index('ix_term_pinyin_key')
        batch_op.drop_index('ix_term_pinyin_initials')
        batch_op.drop_index('ix_term_lang_key')
        batch_op.drop_index('ix_term_kind_text')
        batch_op.drop_index(batch_op.f('ix_term_concept_id'))

    op.drop_table('term')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_status_rank')
        batch_op.drop_index(batch_op.f('ix_candidate_concept_id'))

    op.drop_table('candidate')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('user_account')
    op.drop_table('source')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_user_id'))
        batch_op.drop_index(batch_op.f('ix_revision_created_at'))
        batch_op.drop_index(batch_op.f('ix_revision_concept_id'))

    op.drop_table('revision')
    with op.batch_alter_table('concept', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concept_domain'))

    op.drop_table('concept')
