"""a check-in knows whether it was located within the order's radius (定位签到)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('located', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # Before this, a check-in with a location was held to the radius whenever its order had
    # coordinates; one without a location was not, and stays 未定位.
    op.execute("UPDATE checkin SET located = true WHERE lat IS NOT NULL AND EXISTS ("
               "SELECT 1 FROM orders WHERE orders.id = checkin.order_id "
               "AND orders.lat IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('located')
