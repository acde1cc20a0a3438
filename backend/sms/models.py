"""Every text message asked for: what per-phone limits (and SMS budgets) count. A verification code is kept
only as its keyed hash."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.models import CreatedMixin, UTCDateTime
from backend.extensions import db

PURPOSES = ("login", "reset", "notice")
# pending: written, not yet handed over; sent; throttled or failed at the provider; skipped: the phone has
# no account, so nothing went out (counted all the same, so the answer says nothing about accounts).
STATUSES = ("pending", "sent", "throttled", "failed", "skipped")


class SmsMessage(CreatedMixin, db.Model):
    __table_args__ = (Index("ix_sms_message_phone_created_at", "phone", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    phone: Mapped[str] = mapped_column(String(11))
    purpose: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    provider: Mapped[str] = mapped_column(String(16), default="")
    provider_message_id: Mapped[str] = mapped_column(String(64), default="")
    # A login or reset code: its hash, until when it works, tries with it (the right one too), when used.
    code_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
