"""A resident's unread count reads only their unread recipient rows

Revision ID: c3d4e5f6a7b8
Revises: b7c3e9a1f024
Create Date: 2026-12-01 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = 'b7c3e9a1f024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_notice_recipient_user_unread', ['user_id', 'community_id', 'notice_id'],
                              unique=False, sqlite_where=sa.text('read_at IS NULL'),
                              postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_recipient_user_unread', sqlite_where=sa.text('read_at IS NULL'),
                            postgresql_where=sa.text('read_at IS NULL'))
