"""What search reads: one document per field of a searchable row, and staff's synonym groups."""
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.models import CreatedMixin, TenantMixin
from backend.extensions import db

TITLE, TAGS, BODY = 3, 2, 1  # field weights: a title match outranks a tag match outranks a body match


class SearchDocument(TenantMixin, db.Model):
    """A field of a row (a guide item's title, a facility's tags, ...) in the shapes search narrows by.

    `norm` is the folded text (same length as `text`), `pinyin` its syllables run together,
    `initials` their first letters, `syllables` the per-character syllables joined by "|".
    All are lower case, so LIKE behaves the same on SQLite and PostgreSQL.
    """
    __table_args__ = (Index("ix_search_document_ref", "community_id", "kind", "ref_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(20))
    weight: Mapped[int] = mapped_column(Integer)
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[str] = mapped_column(Text)
    norm: Mapped[str] = mapped_column(Text)
    pinyin: Mapped[str] = mapped_column(Text)
    initials: Mapped[str] = mapped_column(Text)
    syllables: Mapped[str] = mapped_column(Text)


class SearchGram(db.Model):
    """The inverted index: which documents hold a gram (two adjacent Chinese characters, or a run of
    letters or digits). Search looks words up here with btree index lookups instead of scanning every
    document with LIKE, the same way on SQLite and PostgreSQL; see services for why not FTS5 or pg_trgm."""
    __table_args__ = (Index("ix_search_gram_lookup", "community_id", "gram", "kind", "doc_id"),)
    doc_id: Mapped[int] = mapped_column(ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(40), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    kind: Mapped[str] = mapped_column(String(20))


class SynonymGroup(TenantMixin, CreatedMixin, db.Model):
    """Words residents use for the same thing: 低保 ↔ 最低生活保障, 老年卡 ↔ 敬老优待证."""
    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[list[str]] = mapped_column(JSON)
