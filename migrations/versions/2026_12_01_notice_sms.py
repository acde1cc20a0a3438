"""Urgent notices texted to residents without push: the text outbox columns and each community's SMS budget

Revision ID: cadcea2f28d6
Revises: e1076ff2c179
Create Date: 2026-12-01 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = 'cadcea2f28d6'
down_revision = 'e1076ff2c179'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_budget',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('monthly', sa.Integer(), nullable=False),
    sa.Column('per_notice', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_sms_budget_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], name=op.f('fk_sms_budget_updated_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_sms_budget'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', backend.common.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lease_until', backend.common.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('error', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('sent_at', backend.common.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sms_message_source_phone', ['source', 'phone'], unique=True)
        batch_op.create_index('ix_sms_message_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_message_due')
        batch_op.drop_index('ix_sms_message_source_phone')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('error')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('params')
        batch_op.drop_column('source')
    op.drop_table('sms_budget')
