"""ranked whistles: a member's building, an order's whistle stage, who was whistled

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('building_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_member_building_id_building', 'building',
                                    ['building_id'], ['id'])
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('whistle_stage', sa.Enum(
            'top', 'duty', 'community', name='whistlestage', native_enum=False,
            create_constraint=False, length=16), nullable=True))
        batch_op.add_column(sa.Column('whistled_at', sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table('order_whistle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('top', 'duty', 'community', name='whistlestage',
                               native_enum=False, create_constraint=False, length=16),
              nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'round', 'member_id')
    )


def downgrade() -> None:
    op.drop_table('order_whistle')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('whistled_at')
        batch_op.drop_column('whistle_stage')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_constraint('fk_member_building_id_building', type_='foreignkey')
        batch_op.drop_column('building_id')
