"""per-community time rules; event times on orders; default ratings marked

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('timerules',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('claim_window_hours', sa.Float(), nullable=True),
    sa.Column('rating_window_hours', sa.Float(), nullable=True),
    sa.Column('overdue_days', sa.Float(), nullable=True),
    sa.Column('default_good_rating', sa.Boolean(), nullable=True),
    sa.Column('working_days', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('community_id')
    )
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('event_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('rating') as batch:
        batch.add_column(sa.Column('by_default', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('rating') as batch:
        batch.drop_column('by_default')
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('event_at')
    op.drop_table('timerules')
