"""Files: uploaded photos (stored_file), and the signed form's photo on every proxy consent

Revision ID: fb52c1e941c1
Revises: 3ef15ab58c27
Create Date: 2026-11-30 15:26:05.021729

"""
from alembic import op
import sqlalchemy as sa

import backend.common.models


# revision identifiers, used by Alembic.
revision = 'fb52c1e941c1'
down_revision = '3ef15ab58c27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('thumb_size', sa.Integer(), nullable=False),
    sa.Column('original_size', sa.Integer(), nullable=False),
    sa.Column('attached_at', backend.common.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backend.common.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_stored_file_community_id_community')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_stored_file_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_stored_file_orphans', ['attached_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_file_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    # Required, with no default a foreign key could take: proxy consents are written from this revision on
    # (the voting revision before it has not been released), so the table is empty here.
    with op.batch_alter_table('proxy_consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.String(length=32), nullable=False))
        batch_op.create_index(batch_op.f('ix_proxy_consent_photo_id'), ['photo_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_proxy_consent_photo_id_stored_file'), 'stored_file', ['photo_id'], ['id'])



def downgrade():
    with op.batch_alter_table('proxy_consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proxy_consent_photo_id_stored_file'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_proxy_consent_photo_id'))
        batch_op.drop_column('photo_id')

    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_uploaded_by_id'))
        batch_op.drop_index('ix_stored_file_orphans')
        batch_op.drop_index(batch_op.f('ix_stored_file_community_id'))

    op.drop_table('stored_file')
