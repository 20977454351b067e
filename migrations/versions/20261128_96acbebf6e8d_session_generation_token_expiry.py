"""Session generations and API token expiry.

``user_account.session_generation`` is part of every session and
remember-me cookie; log-out, a new password, deactivation and an admin's
"sign out everywhere" replace it, which ends every cookie issued before.
Existing users all start in generation "0": their cookies from before this
revision name no generation at all, so everyone logs in once more.

``api_token.expires_at`` (UTC) is when a token stops working; NULL, as for
every existing token, means until it is revoked.

Revision ID: 96acbebf6e8d
Revises: b2b207a25e3a
Create Date: 2026-11-28 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '96acbebf6e8d'
down_revision = 'b2b207a25e3a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.String(length=32), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
