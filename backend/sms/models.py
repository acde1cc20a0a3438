"""Every text message asked for: what per-phone limits (and SMS budgets) count. A verification code is kept
only as its keyed hash."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.models import CreatedMixin, UTCDateTime, utcnow
from backend.extensions import db

PURPOSES = ("login", "reset", "notice")
# pending: written, not yet handed over; sending: a worker is handing it over (a notice's text, see
# outbox.py); sent; throttled or failed at the provider; skipped: the phone has no account, so nothing went
# out (counted all the same, so the answer says nothing about accounts); over_budget: a notice's text left
# out by the per-notice cap or the month's budget; cancelled: its notice was withdrawn before it went out.
STATUSES = ("pending", "sending", "sent", "throttled", "failed", "skipped", "over_budget", "cancelled")


class SmsMessage(CreatedMixin, db.Model):
    __table_args__ = (
        Index("ix_sms_message_phone_created_at", "phone", "created_at"),
        # One text per phone for what it is about (e.g. notice:12): written once, so never sent twice.
        Index("ix_sms_message_source_phone", "source", "phone", unique=True),
        Index("ix_sms_message_due", "status", "next_attempt_at"),
    )
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
    # A notice's text (outbox.py): what it is about, its template's params, and the worker's claim on it.
    source: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict | None] = mapped_column(JSON)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    error: Mapped[str] = mapped_column(String(300), default="", server_default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SmsBudget(db.Model):
    """A community's own limits on notice texts; without a row, SMS_MONTHLY_BUDGET and SMS_NOTICE_CAP apply."""
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), primary_key=True)
    monthly: Mapped[int] = mapped_column(Integer)
    per_notice: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
