"""agenda follow-through, material and comments (the four-step cycle)

Adopted ballot items get a trail (`agenda_progress`); ballots and items carry links
(`agenda_materials`); residents comment on agenda items and proposals (`comments`), which also
takes the BAND discussion kept under proposals (`proposal_discussions`, moved and dropped); a
ballot item may name the proposal it came from (`ballot_items.proposal_id`).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models.base import UTCDateTime

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain column (no foreign key): adding a constraint would make SQLite rebuild
    # ballot_items, which the tallies and counts refer to. The service checks the proposal.
    op.add_column('ballot_items', sa.Column('proposal_id', sa.Integer(), nullable=True))
    op.create_table(
        'agenda_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('project', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_agenda_progress_ballot_id_ballots')),
        sa.ForeignKeyConstraint(['item_id'], ['ballot_items.id'],
                                name=op.f('fk_agenda_progress_item_id_ballot_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_progress')))
    op.create_index('ix_agenda_progress_item', 'agenda_progress', ['item_id', 'project'])
    op.create_index('ix_agenda_progress_due', 'agenda_progress', ['due_date'])
    op.create_table(
        'agenda_materials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ballot_id', sa.Integer(), nullable=False),
        sa.Column('item_number', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('added_at', UTCDateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_agenda_materials_ballot_id_ballots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_materials')))
    op.create_index('ix_agenda_materials_ballot', 'agenda_materials', ['ballot_id'])
    op.create_table(
        'comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('ballot_id', sa.Integer(), nullable=True),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.Column('reply_to_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('author', sa.String(length=40), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('deleted_at', UTCDateTime(), nullable=True),
        sa.Column('hidden_at', UTCDateTime(), nullable=True),
        sa.Column('hidden_by', sa.String(length=100), nullable=False),
        sa.Column('hidden_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                                name=op.f('fk_comments_community_id_communities')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                                name=op.f('fk_comments_proposal_id_proposals')),
        sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'],
                                name=op.f('fk_comments_ballot_id_ballots')),
        sa.ForeignKeyConstraint(['item_id'], ['ballot_items.id'],
                                name=op.f('fk_comments_item_id_ballot_items')),
        sa.ForeignKeyConstraint(['resident_id'], ['residents.id'],
                                name=op.f('fk_comments_resident_id_residents')),
        sa.ForeignKeyConstraint(['reply_to_id'], ['comments.id'],
                                name=op.f('fk_comments_reply_to_id_comments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')))
    op.create_index('ix_comments_proposal', 'comments', ['proposal_id'])
    op.create_index('ix_comments_item', 'comments', ['item_id'])
    op.create_index('ix_comments_resident', 'comments', ['resident_id'])
    op.execute(  # the BAND discussion kept so far, as stored (times untouched)
        "INSERT INTO comments (community_id, proposal_id, channel, author, text, at, "
        "hidden_by, hidden_reason) SELECT p.community_id, d.proposal_id, d.channel, d.author, "
        "d.content, d.at, '', '' FROM proposal_discussions d "
        "JOIN proposals p ON p.id = d.proposal_id ORDER BY d.id")
    op.drop_index('ix_proposal_discussions_proposal', table_name='proposal_discussions')
    op.drop_table('proposal_discussions')


def downgrade() -> None:
    op.create_table(
        'proposal_discussions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('author', sa.String(length=40), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                                name=op.f('fk_proposal_discussions_proposal_id_proposals')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_discussions')))
    op.create_index('ix_proposal_discussions_proposal', 'proposal_discussions', ['proposal_id'])
    op.execute(
        "INSERT INTO proposal_discussions (proposal_id, channel, author, content, at) "
        "SELECT proposal_id, channel, author, text, at FROM comments "
        "WHERE channel = 'band' AND proposal_id IS NOT NULL ORDER BY id")
    for table, indexes in (('comments', ('ix_comments_resident', 'ix_comments_item',
                                         'ix_comments_proposal')),
                           ('agenda_materials', ('ix_agenda_materials_ballot',)),
                           ('agenda_progress', ('ix_agenda_progress_due',
                                                'ix_agenda_progress_item'))):
        for index in indexes:
            op.drop_index(index, table_name=table)
        op.drop_table(table)
    op.drop_column('ballot_items', 'proposal_id')
