"""member duties as rows (member_duty), filled from member.duties

Revision ID: 0009
Revises: 0008
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CHUNK = 1000


def upgrade() -> None:
    duty = op.create_table('member_duty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('duty', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id', 'duty')
    )
    op.create_index('ix_member_duty_duty', 'member_duty', ['duty', 'member_id'], unique=False)
    # The JSON is read in Python: SQLite and PostgreSQL unnest JSON arrays differently.
    bind = op.get_bind()
    rows = []
    for member_id, duties in bind.execute(sa.text('SELECT id, duties FROM member')):
        listed = json.loads(duties) if isinstance(duties, str) else duties
        rows += [{'member_id': member_id, 'duty': d} for d in dict.fromkeys(listed or [])]
    for start in range(0, len(rows), CHUNK):
        bind.execute(sa.insert(duty), rows[start:start + CHUNK])


def downgrade() -> None:
    op.drop_index('ix_member_duty_duty', table_name='member_duty')
    op.drop_table('member_duty')
