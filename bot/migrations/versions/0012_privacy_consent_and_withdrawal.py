"""privacy: consent before enrolment, withdrawal and erasure (개인정보 보호법)

A channel account records which consent text it agreed to and when (`consent_version`,
`consented_at`); a community may word its own consent text (`consent_text`, empty: the default).
A resident who withdrew (인증 해제 of their last account) or was erased at the centre's request
keeps a row without identity data, so that anonymous votes and agreements stay counted and their
proposals stay public as `탈퇴한 주민` (`withdrawn_at`, `erased_at`).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.base import UTCDateTime

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (SQLite too): a batch copy of these tables would run under the foreign
    # keys that point at them.
    op.add_column('channel_accounts', sa.Column('consent_version', sa.String(length=16),
                                                nullable=True))
    op.add_column('channel_accounts', sa.Column('consented_at', UTCDateTime(), nullable=True))
    op.add_column('communities', sa.Column('consent_text', sa.Text(), nullable=False,
                                           server_default=''))
    op.add_column('residents', sa.Column('withdrawn_at', UTCDateTime(), nullable=True))
    op.add_column('residents', sa.Column('erased_at', UTCDateTime(), nullable=True))


def downgrade() -> None:
    for table, column in (('residents', 'erased_at'), ('residents', 'withdrawn_at'),
                          ('communities', 'consent_text'),
                          ('channel_accounts', 'consented_at'),
                          ('channel_accounts', 'consent_version')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
