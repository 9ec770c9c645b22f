"""sent notices, points ledger, member warnings; outbox attachments and edits

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
    op.create_table('pointentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_pointentry_member_id'), 'pointentry', ['member_id'], unique=False)
    op.create_index(op.f('ix_pointentry_order_id'), 'pointentry', ['order_id'], unique=False)
    op.create_index(op.f('ix_pointentry_at'), 'pointentry', ['at'], unique=False)
    op.create_table('memberwarning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id', 'period')
    )
    op.create_index(op.f('ix_memberwarning_member_id'), 'memberwarning', ['member_id'], unique=False)
    with op.batch_alter_table('outboxmessage') as batch:
        batch.add_column(sa.Column('attachment', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('replaces', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch:
        batch.drop_column('replaces')
        batch.drop_column('attachment')
    op.drop_table('memberwarning')
    op.drop_table('pointentry')
    op.drop_table('sentnotice')
