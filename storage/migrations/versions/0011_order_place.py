"""an order's building and grid, when its place is known

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('building_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_orders_building_id', ['building_id'], unique=False)
        batch_op.create_foreign_key('fk_orders_building_id_building', 'building',
                                    ['building_id'], ['id'])
        batch_op.create_foreign_key('fk_orders_grid_id_grid', 'grid', ['grid_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint('fk_orders_grid_id_grid', type_='foreignkey')
        batch_op.drop_constraint('fk_orders_building_id_building', type_='foreignkey')
        batch_op.drop_index('ix_orders_building_id')
        batch_op.drop_column('grid_id')
        batch_op.drop_column('building_id')
