"""kept points balances: each member's sum of the points ledger, one row a member; admins
found by their community (an index); the boards snapshot without a foreign key

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
    # The snapshot is rebuilt whole every day: it is recreated without the key on its
    # community, whose check per line cost PostgreSQL a third of writing 66,000 lines (until
    # the next refresh, /top computes each board on the spot, as before the first one).
    _boards(with_key=False)


def _boards(with_key: bool) -> None:
    op.drop_index('ix_boardentry_board', table_name='boardentry')
    op.drop_table('boardentry')
    key = [sa.ForeignKeyConstraint(['community_id'], ['community.id'])] if with_key else []
    op.create_table(
        'boardentry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=8), nullable=False),
        sa.Column('metric', sa.String(length=8), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
        *key,
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_boardentry_board', 'boardentry', ['community_id', 'subject', 'metric'],
                    unique=False)


def downgrade() -> None:
    _boards(with_key=True)
    op.drop_index('ix_admin_community_id', table_name='admin')
    op.drop_table('pointbalance')
