"""identity across roster versions: pair keys on residents; enrolment attempts by person and
community

`np_key` (name + phone digits) and `bp_key` (birth date + phone digits) join the lookup key (name
+ birth date), so a re-imported row with one changed detail is recognised as the same person.
Rows already stored get theirs at the next import that matches them exactly (the keys cannot be
made here: only keyed hashes were kept). Enrolment attempts now record the person and community
they were aimed at, for the per-person and per-community pauses.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('np_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('bp_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_residents_name_phone', ['community_id', 'np_key'], unique=False)
        batch_op.create_index('ix_residents_birth_phone', ['community_id', 'bp_key'],
                              unique=False)
    with op.batch_alter_table('enrolment_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_enrolment_attempts_resident_id_residents'),
                                    'residents', ['resident_id'], ['id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_enrolment_attempts_community_id_communities'), 'communities',
            ['community_id'], ['id'])
        batch_op.create_index('ix_enrolment_attempts_resident_at', ['resident_id', 'at'],
                              unique=False)
        batch_op.create_index('ix_enrolment_attempts_community_at', ['community_id', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('enrolment_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolment_attempts_community_at')
        batch_op.drop_index('ix_enrolment_attempts_resident_at')
        batch_op.drop_constraint(batch_op.f('fk_enrolment_attempts_community_id_communities'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_enrolment_attempts_resident_id_residents'),
                                 type_='foreignkey')
        batch_op.drop_column('community_id')
        batch_op.drop_column('resident_id')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index('ix_residents_birth_phone')
        batch_op.drop_index('ix_residents_name_phone')
        batch_op.drop_column('bp_key')
        batch_op.drop_column('np_key')
