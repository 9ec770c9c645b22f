"""residents' and members' rights: rating comments, needs filed on someone's behalf

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.String(length=500), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('beneficiary_name', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('beneficiary_building', sa.String(length=100),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('beneficiary_phone', sa.String(length=32), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('filed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_orders_filed_by_identity', 'identity', ['filed_by'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint('fk_orders_filed_by_identity', type_='foreignkey')
        batch_op.drop_column('filed_by')
        batch_op.drop_column('beneficiary_phone')
        batch_op.drop_column('beneficiary_building')
        batch_op.drop_column('beneficiary_name')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_column('comment')
