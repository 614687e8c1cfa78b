"""the workers' cache version (the webhook hot path, issue 21)

`cache_state` holds one row whose `version` the database moves, by triggers, whenever a row of
`communities`, `ballots`, `ballot_items` or `agenda_materials` changes (bot/models/cache.py):
the web workers keep the ballots open to voting in memory and reload them when it moves.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.cache import drop_statements, trigger_statements

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'cache_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cache_state')))
    for statement in trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('cache_state')
