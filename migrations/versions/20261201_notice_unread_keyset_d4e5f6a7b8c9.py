"""The staff unread list pages through an index; recipients keep their push counts when the outbox is pruned

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-12-01 03:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pushed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('push_delivered', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_notice_recipient_unread', ['notice_id', 'grid_id', 'dwelling_id', 'user_id'],
                              unique=False, sqlite_where=sa.text('read_at IS NULL'),
                              postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_recipient_unread', sqlite_where=sa.text('read_at IS NULL'),
                            postgresql_where=sa.text('read_at IS NULL'))
        batch_op.drop_column('push_delivered')
        batch_op.drop_column('pushed')
