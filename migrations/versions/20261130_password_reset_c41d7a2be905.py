"""Password reset codes staff issue at the desk

Revision ID: c41d7a2be905
Revises: 5a1c0e7d9b21
Create Date: 2026-11-30 19:10:00

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = 'c41d7a2be905'
down_revision = '5a1c0e7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_password_reset_community_id_community')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_password_reset_issued_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_reset_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset'))
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_reset_community_id'))
    op.drop_table('password_reset')
