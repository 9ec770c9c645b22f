"""identity.last_seen_at: when an account last wrote (WeChat's 48-hour window)

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity') as batch:
        batch.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('identity') as batch:
        batch.drop_column('last_seen_at')
