"""the member warnings without their index on member_id alone: the unique key (member_id,
period) begins with it and serves every look-up by member, and each index is one more
entry written per warning (a quota sweep writes one per member below quota)

Revision ID: 0020_warning_index
Revises: 0019_order_status
"""

from alembic import op

revision = '0020_warning_index'
down_revision = '0019_order_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_memberwarning_member_id', table_name='memberwarning')


def downgrade() -> None:
    op.create_index('ix_memberwarning_member_id', 'memberwarning', ['member_id'], unique=False)
