"""Contacts: the staff directory (profiles, the grids they serve), weekly duty spans and dated exceptions

Revision ID: 4e6bcf7d226e
Revises: fb52c1e941c1
Create Date: 2026-11-30 16:02:49.335803

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = '4e6bcf7d226e'
down_revision = 'fb52c1e941c1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('position', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('handles', sa.String(length=500), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('work_phone', sa.String(length=20), nullable=False),
    sa.Column('private_mobile', sa.String(length=11), nullable=False),
    sa.Column('show_mobile', sa.Boolean(), nullable=False),
    sa.Column('photo_id', sa.String(length=32), nullable=True),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.Column('party_areas', sa.JSON(), nullable=True),
    sa.Column('party_hours', sa.String(length=100), nullable=True),
    sa.Column('updated_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_contact_community_id_community')),
    sa.ForeignKeyConstraint(['photo_id'], ['stored_file.id'], name=op.f('fk_contact_photo_id_stored_file')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_contact_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_contact_listing', ['community_id', 'visible'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_photo_id'), ['photo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_user_id'), ['user_id'], unique=False)

    op.create_table('contact_grid',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_contact_grid_community_id_community')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_contact_grid_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_contact_grid_grid_id_grid'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', 'grid_id', name=op.f('pk_contact_grid'))
    )
    with op.batch_alter_table('contact_grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_grid_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_grid_grid_id'), ['grid_id'], unique=False)

    op.create_table('roster_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('off', sa.Boolean(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('off OR (start IS NOT NULL AND "end" IS NOT NULL AND start >= 0 AND start < "end" AND "end" <= 1440)', name=op.f('ck_roster_exception_exception_span_in_day')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_roster_exception_community_id_community')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_roster_exception_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_exception'))
    )
    with op.batch_alter_table('roster_exception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_exception_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_roster_exception_day', ['contact_id', 'date'], unique=False)

    op.create_table('roster_span',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('start >= 0 AND start < "end" AND "end" <= 1440', name=op.f('ck_roster_span_span_in_day')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_roster_span_weekday_in_week')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_roster_span_community_id_community')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_roster_span_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_span'))
    )
    with op.batch_alter_table('roster_span', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_span_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_span_contact_id'), ['contact_id'], unique=False)



def downgrade():
    with op.batch_alter_table('roster_span', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_span_contact_id'))
        batch_op.drop_index(batch_op.f('ix_roster_span_community_id'))

    op.drop_table('roster_span')
    with op.batch_alter_table('roster_exception', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_exception_day')
        batch_op.drop_index(batch_op.f('ix_roster_exception_community_id'))

    op.drop_table('roster_exception')
    with op.batch_alter_table('contact_grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_grid_grid_id'))
        batch_op.drop_index(batch_op.f('ix_contact_grid_community_id'))

    op.drop_table('contact_grid')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_user_id'))
        batch_op.drop_index(batch_op.f('ix_contact_photo_id'))
        batch_op.drop_index('ix_contact_listing')
        batch_op.drop_index(batch_op.f('ix_contact_community_id'))

    op.drop_table('contact')
