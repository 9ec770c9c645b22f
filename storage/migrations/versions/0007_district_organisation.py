"""districts; buildings belong to a community and have coordinates; unit kinds; inactive members

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# SQLite's constraints from 0001 have no names; batch mode names them by this convention
# when it copies the table, so they can be dropped. PostgreSQL named them itself.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"}


def _unique_name(table: str, first: str, second: str) -> str:
    if op.get_bind().dialect.name == "sqlite":
        return f"uq_{table}_{first}_{second}"
    return f"{table}_{first}_{second}_key"


def upgrade() -> None:
    op.create_table('district',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    # Not batch mode: SQLite would copy community, and the tables that refer to it stop the
    # copy under enforced foreign keys; a column that refers can be added in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE community ADD COLUMN district_id INTEGER "
                   "CONSTRAINT fk_community_district_id REFERENCES district (id)")
    else:
        op.add_column('community', sa.Column('district_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_community_district_id', 'community', 'district',
                              ['district_id'], ['id'])
    op.create_index('ix_community_district_id', 'community', ['district_id'], unique=False)
    with op.batch_alter_table('building', naming_convention=NAMING) as batch:
        batch.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch.alter_column('grid_id', existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint(_unique_name('building', 'grid_id', 'name'), type_='unique')
    op.execute("UPDATE building SET community_id = "
               "(SELECT grid.community_id FROM grid WHERE grid.id = building.grid_id)")
    with op.batch_alter_table('building') as batch:
        batch.alter_column('community_id', existing_type=sa.Integer(), nullable=False)
        batch.create_index(batch.f('ix_building_community_id'), ['community_id'], unique=False)
        batch.create_foreign_key('fk_building_community_id', 'community', ['community_id'],
                                 ['id'])
        batch.create_unique_constraint('building_community_id_name_key', ['community_id', 'name'])
    with op.batch_alter_table('unit') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False,
                                   server_default='其他'))
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table('admin') as batch:
        batch.add_column(sa.Column('district_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_admin_district_id', 'district', ['district_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('admin') as batch:
        batch.drop_constraint('fk_admin_district_id', type_='foreignkey')
        batch.drop_column('district_id')
    with op.batch_alter_table('member') as batch:
        batch.drop_column('active')
    with op.batch_alter_table('unit') as batch:
        batch.drop_column('kind')
    # A building without a grid cannot go back: the old schema required one.
    op.execute("DELETE FROM building WHERE grid_id IS NULL")
    with op.batch_alter_table('building') as batch:
        batch.drop_constraint('building_community_id_name_key', type_='unique')
        batch.drop_constraint('fk_building_community_id', type_='foreignkey')
        batch.drop_index(batch.f('ix_building_community_id'))
        batch.drop_column('lon')
        batch.drop_column('lat')
        batch.drop_column('community_id')
        batch.alter_column('grid_id', existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(_unique_name('building', 'grid_id', 'name'),
                                       ['grid_id', 'name'])
    with op.batch_alter_table('community') as batch:
        batch.drop_constraint('fk_community_district_id', type_='foreignkey')
        batch.drop_index(batch.f('ix_community_district_id'))
        batch.drop_column('district_id')
    op.drop_table('district')
