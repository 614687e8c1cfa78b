"""operations: the clock's heartbeat and the count's seal (issue 22)

`clock_heartbeat` holds one row the active clock writes after each tick (`/readyz`, metrics).
`ballots.count_seal` keeps what the count found with a MAC over the tallies, for `maeul verify`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.base import UTCDateTime

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'clock_heartbeat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_tick_at', UTCDateTime(), nullable=False),
        sa.Column('holder', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_clock_heartbeat')))
    # A plain ADD COLUMN (SQLite too): a copied table would lose the cache triggers of 0016.
    op.add_column('ballots', sa.Column('count_seal', sa.JSON(), nullable=True))


def downgrade() -> None:
    # ALTER … DROP COLUMN on both databases: SQLite's copy of `ballots` would fail its keys.
    op.execute("ALTER TABLE ballots DROP COLUMN count_seal")
    op.drop_table('clock_heartbeat')
