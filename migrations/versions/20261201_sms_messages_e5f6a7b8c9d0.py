"""Text messages sent (and login or reset codes, hashed) for SMS login and per-phone limits

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('provider_message_id', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_sms_message_community_id_community')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sms_message_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_message'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_message_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_message_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_sms_message_phone_created_at', ['phone', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_message_phone_created_at')
        batch_op.drop_index(batch_op.f('ix_sms_message_user_id'))
        batch_op.drop_index(batch_op.f('ix_sms_message_community_id'))
    op.drop_table('sms_message')
