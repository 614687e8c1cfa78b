"""outbox claim index: a partial index in the order a sender claims due rows

Without it every claim scanned and sorted the whole queue (46 ms a claim of 100 at 100,000
queued messages on PostgreSQL), so a city-wide reminder slowed as it grew.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 23:26:36.774455
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMABLE = "status IN ('pending', 'sending')"  # as bot.models.core.CLAIMABLE was at 0007


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_claim', ['channel', 'next_attempt_at', 'id'],
                              unique=False, postgresql_where=sa.text(CLAIMABLE),
                              sqlite_where=sa.text(CLAIMABLE))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_claim')
