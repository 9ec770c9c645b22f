"""sent notices (what scheduled sweeps already sent); outbox attachments and edits

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sentnotice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'subject')
    )
    with op.batch_alter_table('outboxmessage') as batch:
        batch.add_column(sa.Column('attachment', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('replaces', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch:
        batch.drop_column('replaces')
        batch.drop_column('attachment')
    op.drop_table('sentnotice')
