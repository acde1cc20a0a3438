"""Notices (通知公告) and who each was addressed to, with read and acknowledgement times."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

CATEGORIES = ("urgent", "policy", "activity", "service", "other")
STATUSES = ("draft", "scheduled", "published", "withdrawn")


class Notice(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (Index("ix_notice_listing", "community_id", "status", "published_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body_html: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(300))  # plain text, for lists and pushes
    category: Mapped[str] = mapped_column(String(16))
    # {"everyone": bool, "grid_ids": [...], "building_ids": [...], "roles": [...]}: see audience.py
    audience: Mapped[dict] = mapped_column(JSON)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    ack_required: Mapped[bool] = mapped_column(Boolean, default=False)
    push: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    author = relationship("User", lazy="joined")

    @property
    def source(self) -> str:
        """How the push outbox names this notice's messages."""
        return f"notice:{self.id}"


class NoticeRecipient(TenantMixin, db.Model):
    """One addressed resident, fixed when the notice is published; grid and dwelling are kept for stats."""
    __table_args__ = (
        Index("ix_notice_recipient_user", "user_id", "community_id"),
        # A resident's unread count (reading.unread_count), polled by every open app: only unread rows.
        Index("ix_notice_recipient_user_unread", "user_id", "community_id", "notice_id",
              sqlite_where=text("read_at IS NULL"), postgresql_where=text("read_at IS NULL")),
        # The staff "who has not read it" list pages through this in its order (stats.unread).
        Index("ix_notice_recipient_unread", "notice_id", "grid_id", "dwelling_id", "user_id",
              sqlite_where=text("read_at IS NULL"), postgresql_where=text("read_at IS NULL")),
    )
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    dwelling_id: Mapped[int | None] = mapped_column(ForeignKey("dwelling.id", ondelete="SET NULL"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whether a push went to one of their devices, and reached one, as of the outbox rows pruned since
    # (backend/push/retention.py); the stats add what the outbox still holds.
    pushed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    push_delivered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notice: Mapped[Notice] = relationship(lazy="joined")


class NoticeSending(TenantMixin, CreatedMixin, db.Model):
    """Addressing a notice (or reminding its unread) as a worker job, a chunk of residents per transaction.

    `cursor` is the last user id handled: a chunk moves it in the transaction that writes the chunk's rows,
    so a worker that dies mid-way loses only its uncommitted chunk and the next one carries on from there."""
    __table_args__ = (Index("ix_notice_sending_due", "status", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # publish | remind
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done
    message_id: Mapped[int | None] = mapped_column(ForeignKey("push_message.id", ondelete="SET NULL"))
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    deliveries: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
