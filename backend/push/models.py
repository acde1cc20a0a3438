"""Web Push: devices, preferences, and the outbox of messages and their deliveries."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

DELIVERY_STATUSES = ("pending", "delivered", "failed", "gone", "cancelled")
URGENCIES = ("very-low", "low", "normal", "high")


class PushSubscription(CreatedMixin, db.Model):
    """One browser on one device, as returned by PushManager.subscribe()."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushPreference(db.Model):
    """Which categories a user wants on the phone, and when not to ring (local HH:MM)."""
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    categories: Mapped[list] = mapped_column(JSON)
    quiet_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="07:00")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PushMessage(TenantMixin, CreatedMixin, db.Model):
    """What is sent: one payload for many deliveries. `source` names what it is about, e.g. notice:12."""
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    ttl: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)


class PushDelivery(TenantMixin, db.Model):
    """One message to one device: the outbox row a worker claims, sends and settles."""
    __table_args__ = (
        Index("ix_push_delivery_due", "status", "next_attempt_at"),
        # A message reaches a device once, however many times a chunk of its fan-out is written.
        Index("uq_push_delivery_message_device", "message_id", "subscription_id", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("push_message.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A worker owns a claimed row until then; after it, another worker may take the row again.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    last_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message: Mapped[PushMessage] = relationship(lazy="joined")
    subscription: Mapped[PushSubscription | None] = relationship(lazy="joined")
