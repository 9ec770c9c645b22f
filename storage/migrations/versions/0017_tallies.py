"""running tallies of services: each member's services, hours and ratings per quarter

Revision ID: 0017_tallies
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = '0017_tallies'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'servicetally',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('services', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('star_sum', sa.Integer(), nullable=False),
        sa.Column('rated', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('member_id', 'period'),
    )


def downgrade() -> None:
    op.drop_table('servicetally')
