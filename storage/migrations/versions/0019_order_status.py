"""an index on the orders' status: the no-show sweep reads the places of the live orders,
few among a city's hundreds of thousands of acceptances

Revision ID: 0019_order_status
Revises: 0018_balances
"""

from alembic import op

revision = '0019_order_status'
down_revision = '0018_balances'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_status')
