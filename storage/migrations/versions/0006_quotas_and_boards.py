"""community quotas, boards snapshot

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('community') as batch:
        batch.add_column(sa.Column('quota_services', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('quota_hours', sa.Float(), nullable=True))
    op.create_table('boardentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=8), nullable=False),
    sa.Column('metric', sa.String(length=8), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_boardentry_board', 'boardentry', ['community_id', 'subject', 'metric'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_boardentry_board', table_name='boardentry')
    op.drop_table('boardentry')
    with op.batch_alter_table('community') as batch:
        batch.drop_column('quota_hours')
        batch.drop_column('quota_services')
