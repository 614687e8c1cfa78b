"""budget items: participatory budgeting (주민참여예산)

A ballot item of kind `budget` keeps its projects' costs, groups, the cap and the picking rules in
`ballot_items.budget_plan`; the Method of Equal Shares' funded list, computed when the envelopes are
opened, in `ballot_items.funded`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('ballot_items', sa.Column('budget_plan', sa.JSON(), nullable=True))
    op.add_column('ballot_items', sa.Column('funded', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ballot_items', schema=None) as batch_op:
        batch_op.drop_column('funded')
        batch_op.drop_column('budget_plan')
