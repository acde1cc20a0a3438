"""An inverted index of character pairs for search (search_gram), filled from the documents indexed so far

Revision ID: 7ee36989163f
Revises: cadcea2f28d6
Create Date: 2026-12-01 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from backend.search.text import grams


# revision identifiers, used by Alembic.
revision = '7ee36989163f'
down_revision = 'cadcea2f28d6'
branch_labels = None
depends_on = None


def upgrade():
    gram = op.create_table('search_gram',
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('gram', sa.String(length=40), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_search_gram_community_id_community')),
    sa.ForeignKeyConstraint(['doc_id'], ['search_document.id'], name=op.f('fk_search_gram_doc_id_search_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'gram', name=op.f('pk_search_gram'))
    )
    with op.batch_alter_table('search_gram', schema=None) as batch_op:
        batch_op.create_index('ix_search_gram_lookup', ['community_id', 'gram', 'kind', 'doc_id'], unique=False)

    # The documents already indexed get their pairs, so search finds them without re-indexing.
    rows = op.get_bind().execute(sa.text("SELECT id, community_id, kind, norm FROM search_document"))
    postings = [dict(doc_id=i, gram=g, community_id=c, kind=k) for i, c, k, norm in rows for g in sorted(grams(norm))]
    if postings:
        op.bulk_insert(gram, postings)


def downgrade():
    with op.batch_alter_table('search_gram', schema=None) as batch_op:
        batch_op.drop_index('ix_search_gram_lookup')

    op.drop_table('search_gram')
