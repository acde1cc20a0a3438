"""Search log rows are found by a random key (the X-Search-Log token), so they can be written after the response

Revision ID: 3b9e5c7d1a42
Revises: 5d2f8a61c0b4
Create Date: 2026-12-01 12:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b9e5c7d1a42'
down_revision = '5d2f8a61c0b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=24), nullable=True))
        batch_op.create_index(batch_op.f('ix_search_log_key'), ['key'], unique=True)


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_key'))
        batch_op.drop_column('key')
