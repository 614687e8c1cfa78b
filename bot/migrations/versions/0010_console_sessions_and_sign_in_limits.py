"""console sessions on the server, sign-in limits, disabling managers, token hints

Console sessions were client-side cookies that kept working after logout; now the cookie holds a
random token whose hash is a `console_sessions` row, so logout, a password change or disabling a
manager ends them at once. The per-account sign-in lock (which anyone could trigger for someone
else) gives way to per-address limits kept in `rate_limits`. Managers can be disabled or removed;
API tokens keep their last 4 characters so a list can tell them apart.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.base import UTCDateTime

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'console_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('manager_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['manager_id'], ['managers.id'],
                                name=op.f('fk_console_sessions_manager_id_managers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_console_sessions_token_hash')),
    )
    op.create_index(op.f('ix_console_sessions_manager_id'), 'console_sessions', ['manager_id'],
                    unique=False)
    op.create_table(
        'rate_limits',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limits')),
    )
    with op.batch_alter_table('managers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_at', UTCDateTime(), nullable=True))
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hint', sa.String(length=8), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('hint')
    with op.batch_alter_table('managers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.drop_column('removed_at')
        batch_op.drop_column('disabled_at')
    op.drop_table('rate_limits')
    op.drop_index(op.f('ix_console_sessions_manager_id'), table_name='console_sessions')
    op.drop_table('console_sessions')
