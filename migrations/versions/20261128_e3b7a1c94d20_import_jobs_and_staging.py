"""Import jobs and staging: a large import runs as a job and becomes visible in one short transaction.

A 30,000-row import used to hold the write lock for minutes in one request.
Now it is a job: ``import_job`` is the one record of it (status, progress
counters, error, who, the file's SHA-256), whichever process runs it;
``import_job_outcome`` keeps its report, a page at a time; and the four
``import_staged_*`` tables hold the concepts, terms, history and evidence it
will add, written in short batches that nobody else reads, until one short
transaction copies them into the glossary. New tables only: nothing existing
changes, so the downgrade drops them (and with them any unfinished import).

Revision ID: e3b7a1c94d20
Revises: cef07b438dbb
Create Date: 2026-11-28 18:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'e3b7a1c94d20'
down_revision = 'cef07b438dbb'
branch_labels = None
depends_on = None

STAGED = ('import_staged_concept', 'import_staged_term', 'import_staged_revision', 'import_staged_evidence')


def _job_columns(table):
    """The id and the job a staging or report row belongs to (deleting a job deletes them)."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['import_job.id'], name=op.f(f'fk_{table}_job_id_import_job'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade():
    op.create_table(
        'import_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('phase', sa.String(length=20), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('file_format', sa.String(length=20), nullable=True),
        sa.Column('encoding', sa.String(length=40), nullable=True),
        sa.Column('warnings', sa.JSON(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('error_line', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_name', sa.String(length=80), nullable=False),
        sa.Column('worker', sa.String(length=200), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('cancel_requested', sa.Boolean(), nullable=False),
        sa.Column('client_seen_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('preview', 'apply')", name=op.f('ck_import_job_kind')),
        sa.CheckConstraint("status IN ('queued', 'running', 'finished', 'failed', 'cancelled')",
                           name=op.f('ck_import_job_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
        sqlite_autoincrement=True,  # job ids are in page addresses: never another job's
    )
    op.create_table(
        'import_job_outcome',
        *_job_columns('import_job_outcome'),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('concept_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('provisional', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_import_job_outcome_job_position', 'import_job_outcome', ['job_id', 'position'], unique=True)
    op.create_index('ix_import_job_outcome_job_outcome', 'import_job_outcome', ['job_id', 'outcome', 'position'])
    op.create_table(
        'import_staged_concept',
        *_job_columns('import_staged_concept'),
        sa.Column('concept_id', sa.Integer(), nullable=False),
        sa.Column('domain', sa.String(length=100), nullable=True),
        sa.Column('definition', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
    )
    op.create_table(
        'import_staged_term',
        *_job_columns('import_staged_term'),
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
    )
    op.create_table(
        'import_staged_revision',
        *_job_columns('import_staged_revision'),
        sa.Column('concept_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
    )
    op.create_table(
        'import_staged_evidence',
        *_job_columns('import_staged_evidence'),
        sa.Column('concept_id', sa.Integer(), nullable=False),
        sa.Column('source_key', sa.String(length=64), nullable=False),
        sa.Column('term', sa.String(length=1000), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
    )
    for table in STAGED:
        op.create_index(f'{table.replace("import_staged_", "ix_import_staged_")}_job', table, ['job_id', 'concept_id'])


def downgrade():
    for table in (*STAGED, 'import_job_outcome', 'import_job'):
        op.drop_table(table)  # its indexes go with it
