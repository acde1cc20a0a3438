"""Uploaded photos: a re-encoded display copy and a thumbnail in storage, and the row that says whose they are.

A file belongs to a community and, once attached, to the row that uses it (a proxy consent, say): who may read
it is that row's rule. Until attached only its uploader may, and the worker deletes it after a while.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime
from backend.extensions import db


def object_keys(community_id: int, file_id: str) -> tuple[str, str]:
    """Where the display copy and the thumbnail are kept."""
    return f"{community_id}/{file_id}.jpg", f"{community_id}/{file_id}.thumb.jpg"


class StoredFile(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (Index("ix_stored_file_orphans", "attached_at", "created_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: never a guessable address
    purpose: Mapped[str] = mapped_column(String(32))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    width: Mapped[int] = mapped_column(Integer)  # of the display copy
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # bytes of the display copy
    thumb_size: Mapped[int] = mapped_column(Integer)
    original_size: Mapped[int] = mapped_column(Integer)  # bytes as uploaded
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def keys(self) -> tuple[str, str]:
        return object_keys(self.community_id, self.id)
