"""an index of the parked (undeliverable) outbox messages by recipient: every incoming
message asks whether its sender has any, and a city's channel may hold tens of thousands
of others'

Revision ID: 0021_outbox_parked
Revises: 0020_warning_index
"""

import sqlalchemy as sa
from alembic import op

revision = '0021_outbox_parked'
down_revision = '0020_warning_index'
branch_labels = None
depends_on = None

PARKED = "status = 'undeliverable'"


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_parked', ['channel', 'to_user', 'status'], unique=False,
                              sqlite_where=sa.text(PARKED), postgresql_where=sa.text(PARKED))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_parked', sqlite_where=sa.text(PARKED),
                            postgresql_where=sa.text(PARKED))
