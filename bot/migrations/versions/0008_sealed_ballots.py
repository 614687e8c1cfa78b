"""sealed ballots: envelopes instead of plain choices, trustees, the box on each ballot

`ballot_choices` kept each chosen option in the clear; written in the voter's transaction, it
could be joined to the participation (PostgreSQL `xmin`, storage order). Votes are now sealed
envelopes (bot/sealing.py). What this migration does with the plain choices already stored:
ballots already closed had their tallies frozen at the close, so their choices go (and the ballot
counts as counted at its close); ballots still open or scheduled have their plain choices added
up into `ballot_tallies` as they are (the count adds the envelopes to them), and the rows go.
Either way no plain choice is left. A downgrade cannot bring plain choices back from envelopes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00
"""
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.models.base

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trustee_count', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('seal_salt', sa.LargeBinary(length=16), nullable=True))
        batch_op.add_column(sa.Column('box_public_key', sa.LargeBinary(length=32),
                                      nullable=True))
        batch_op.add_column(sa.Column('box_secret', sa.LargeBinary(length=400), nullable=True))
        batch_op.add_column(sa.Column('counted_at', bot.models.base.UTCDateTime(),
                                      nullable=True))
    op.create_table('ballot_trustees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('salt', sa.LargeBinary(length=16), nullable=True),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=True),
    sa.Column('set_at', bot.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_trustees_ballot_id_ballots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_trustees')),
    sa.UniqueConstraint('ballot_id', 'number', name=op.f('uq_ballot_trustees_ballot_id_number'))
    )
    op.create_table('ballot_envelopes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(length=1200), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_envelopes_ballot_id_ballots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_envelopes')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ballot_envelopes', schema=None) as batch_op:
        batch_op.create_index('ix_ballot_envelopes_ballot', ['ballot_id'], unique=False)

    conn = op.get_bind()
    for (ballot_id,) in conn.execute(sa.text("SELECT id FROM ballots")).all():
        conn.execute(sa.text("UPDATE ballots SET seal_salt = :salt WHERE id = :id"),
                     {"salt": os.urandom(16), "id": ballot_id})
    conn.execute(sa.text("UPDATE ballots SET counted_at = closed_at "
                         "WHERE closed_at IS NOT NULL"))
    conn.execute(sa.text(
        "INSERT INTO ballot_tallies (ballot_id, item_id, option, count) "
        "SELECT c.ballot_id, c.item_id, c.option, count(*) FROM ballot_choices c "
        "JOIN ballots b ON b.id = c.ballot_id WHERE b.closed_at IS NULL "
        "GROUP BY c.ballot_id, c.item_id, c.option"))
    with op.batch_alter_table('ballot_choices', schema=None) as batch_op:
        batch_op.drop_index('ix_ballot_choices_tally')
    op.drop_table('ballot_choices')


def downgrade() -> None:
    op.create_table('ballot_choices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_choices_ballot_id_ballots')),
    sa.ForeignKeyConstraint(['item_id'], ['ballot_items.id'], name=op.f('fk_ballot_choices_item_id_ballot_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_choices')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ballot_choices', schema=None) as batch_op:
        batch_op.create_index('ix_ballot_choices_tally', ['ballot_id', 'item_id', 'option'], unique=False)
    with op.batch_alter_table('ballot_envelopes', schema=None) as batch_op:
        batch_op.drop_index('ix_ballot_envelopes_ballot')
    op.drop_table('ballot_envelopes')
    op.drop_table('ballot_trustees')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('counted_at')
        batch_op.drop_column('box_secret')
        batch_op.drop_column('box_public_key')
        batch_op.drop_column('seal_salt')
        batch_op.drop_column('trustee_count')
