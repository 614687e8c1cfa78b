"""outbox: the resident's next step, offered as a button with a push; ballot items: 기권

A ballot push carries `투표하기`: Telegram shows it as a reply-keyboard button, so one tap starts
the vote; on KakaoTalk the event block's own quick reply does the same (README, set-up). A ballot
item may allow abstention (`allow_abstain`): its own numbered option, counted apart.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_step', sa.String(length=40), nullable=True))
    # A plain ADD COLUMN (SQLite too): a batch copy would drop ballot_items under the foreign
    # keys of tallies and on-site counts.
    op.add_column('ballot_items', sa.Column('allow_abstain', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('ballot_items', schema=None) as batch_op:
        batch_op.drop_column('allow_abstain')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('next_step')
