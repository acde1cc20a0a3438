"""A user's revision, bumped by every change to their row: processes remember the row by it

Revision ID: 7c4e1f9a2b60
Revises: 3b9e5c7d1a42
Create Date: 2026-12-01 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c4e1f9a2b60'
down_revision = '3b9e5c7d1a42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('revision')
