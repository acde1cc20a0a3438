"""Notices addressed by the worker a chunk at a time (notice_sending); one push delivery per message and device

Revision ID: 5d2f8a61c0b4
Revises: 7ee36989163f
Create Date: 2026-12-01 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = '5d2f8a61c0b4'
down_revision = '7ee36989163f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_sending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('deliveries', sa.Integer(), nullable=False),
    sa.Column('finished_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_sending_community_id_community')),
    sa.ForeignKeyConstraint(['message_id'], ['push_message.id'], name=op.f('fk_notice_sending_message_id_push_message'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_sending_notice_id_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_sending'))
    )
    with op.batch_alter_table('notice_sending', schema=None) as batch_op:
        batch_op.create_index('ix_notice_sending_due', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_sending_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_sending_notice_id'), ['notice_id'], unique=False)

    with op.batch_alter_table('push_delivery', schema=None) as batch_op:
        batch_op.create_index('uq_push_delivery_message_device', ['message_id', 'subscription_id'], unique=True)


def downgrade():
    with op.batch_alter_table('push_delivery', schema=None) as batch_op:
        batch_op.drop_index('uq_push_delivery_message_device')

    with op.batch_alter_table('notice_sending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_sending_notice_id'))
        batch_op.drop_index(batch_op.f('ix_notice_sending_community_id'))
        batch_op.drop_index('ix_notice_sending_due')

    op.drop_table('notice_sending')
