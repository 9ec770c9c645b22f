"""how many residents reported an order, and the repeats merged into it

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reports', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.create_index('ix_orders_merged_into', ['merged_into'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_merged_into')
        batch_op.drop_column('reports')
