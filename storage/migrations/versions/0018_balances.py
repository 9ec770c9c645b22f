"""kept points balances: each member's sum of the points ledger, one row a member; admins
found by their community (an index)

Revision ID: 0018_balances
Revises: 0017_tallies
"""

import sqlalchemy as sa
from alembic import op

revision = '0018_balances'
down_revision = '0017_tallies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pointbalance',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('balance', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('member_id'),
    )
    op.create_index('ix_admin_community_id', 'admin', ['community_id'])
    # The balances so far, summed once from the ledger (one statement however long it is).
    op.execute('INSERT INTO pointbalance (member_id, balance) '
               'SELECT member_id, SUM(delta) FROM pointentry GROUP BY member_id')


def downgrade() -> None:
    op.drop_table('pointbalance')
    op.drop_index('ix_admin_community_id', table_name='admin')
