"""Searches logged (no user) so staff see what found nothing

Revision ID: e1076ff2c179
Revises: e5f6a7b8c9d0
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = 'e1076ff2c179'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.Column('opened_kind', sa.String(length=20), nullable=True),
    sa.Column('opened_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled', sa.Boolean(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_search_log_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log'))
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_search_log_community_created', ['community_id', 'created_at'], unique=False)
        batch_op.create_index('ix_search_log_created', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index('ix_search_log_created')
        batch_op.drop_index('ix_search_log_community_created')
        batch_op.drop_index(batch_op.f('ix_search_log_community_id'))

    op.drop_table('search_log')
