"""live sessions: on-site voting by a password that changes every minute, and quick questions

A ballot may have a live session at the meeting (`live_sessions`, the password's seed only); a
quick question asked there is a one-item ballot (`live_questions`) that only residents present
may vote in (`ballots.present_only`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.base import UTCDateTime

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('ballots', sa.Column('present_only', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.create_table(
        'live_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=32), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('started_by', sa.String(length=100), nullable=False),
        sa.Column('closed_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_live_sessions_ballot_id_ballots')),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                                name=op.f('fk_live_sessions_community_id_communities')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions')),
    )
    op.create_index('ix_live_sessions_open', 'live_sessions', ['closed_at'])
    op.create_table(
        'live_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('live_id', sa.Integer(), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['live_id'], ['live_sessions.id'],
                                name=op.f('fk_live_questions_live_id_live_sessions')),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_live_questions_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_questions')),
        sa.UniqueConstraint('ballot_id', name=op.f('uq_live_questions_ballot_id')),
    )


def downgrade() -> None:
    op.drop_table('live_questions')
    op.drop_index('ix_live_sessions_open', table_name='live_sessions')
    op.drop_table('live_sessions')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('present_only')
