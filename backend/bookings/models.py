"""Bookable resources (a facility room or a service) cut into slots by a weekly schedule, bookings of seats
in those slots by households, a waitlist per slot, and the community's booking rules.

A slot row exists once someone books it (or staff block it): its `taken` seats only change by
`UPDATE ... SET taken = taken + n WHERE taken + n <= seats`, after the household's dwelling row is locked,
so seats are never overbooked and a household's quota holds under concurrent requests."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db
from backend.facilities.models import Facility

RESOURCE_KINDS = ("room", "service")
RESOURCE_STATUSES = ("draft", "open", "closed")
ELIGIBILITY = ("residents", "owners", "volunteers", "seniors")
# pending: waits for staff approval (its seats are held); confirmed; waitlisted (holds no seat);
# checked_in; cancelled (by the resident or staff); refused (by staff); no_show (released by the worker)
BOOKING_STATUSES = ("pending", "confirmed", "waitlisted", "checked_in", "cancelled", "refused", "no_show")
HOLDING = ("pending", "confirmed", "checked_in")  # statuses whose seats are counted in the slot's `taken`


class Resource(TenantMixin, CreatedMixin, db.Model):
    __tablename__ = "booking_resource"
    __table_args__ = (CheckConstraint("slot_minutes BETWEEN 5 AND 1440", name="slot_minutes_range"),
                      CheckConstraint("seats >= 1", name="seats_positive"),
                      CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="room")
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)  # where it is held
    at_home: Mapped[bool] = mapped_column(Boolean, default=False)  # a service that comes to the household
    provider_service_id: Mapped[int | None] = mapped_column(ForeignKey("provider_service.id"), index=True)
    # {"mon": [["09:00", "12:00"], ["14:00", "17:00"]], ...}: windows cut into slots of slot_minutes,
    # buffer_minutes apart; same shape as facility hours (facilities/hours.py)
    schedule: Mapped[dict] = mapped_column(JSON, default=dict)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=60)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    seats: Mapped[int] = mapped_column(Integer, default=1)  # per slot
    max_seats_per_booking: Mapped[int] = mapped_column(Integer, default=1)
    # [{"start": "2026-12-24", "end": "2026-12-26", "note": "..."}]; a room also follows its facility's
    # closed exceptions
    blackouts: Mapped[list[dict]] = mapped_column(JSON, default=list)
    advance_days: Mapped[int] = mapped_column(Integer, default=14)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=60)
    cancel_cutoff_minutes: Mapped[int] = mapped_column(Integer, default=120)
    week_quota: Mapped[int | None] = mapped_column(Integer)  # bookings per household per week; None: no limit
    month_quota: Mapped[int | None] = mapped_column(Integer)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    eligibility: Mapped[str] = mapped_column(String(12), default="residents")
    waitlist: Mapped[bool] = mapped_column(Boolean, default=True)
    checkin_early_minutes: Mapped[int] = mapped_column(Integer, default=15)
    no_show_minutes: Mapped[int] = mapped_column(Integer, default=15)  # after the start, unchecked seats go
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    facility = relationship(Facility, lazy="selectin")


class Slot(TenantMixin, db.Model):
    __tablename__ = "booking_slot"
    __table_args__ = (UniqueConstraint("resource_id", "starts_at"),
                      CheckConstraint("taken >= 0", name="taken_not_negative"))
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("booking_resource.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seats: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    block_reason: Mapped[str] = mapped_column(String(200), default="")


class Booking(TenantMixin, CreatedMixin, db.Model):
    """`seq` orders a slot's bookings: the waitlist is promoted in this order. `starts_at` is the slot's,
    kept here for the household quotas and the reminders."""
    __table_args__ = (Index("ix_booking_slot_status", "slot_id", "status"),
                      Index("ix_booking_dwelling_starts", "dwelling_id", "starts_at"),
                      Index("ix_booking_status_starts", "status", "starts_at"),
                      CheckConstraint("seats >= 1", name="seats_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("booking_resource.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("booking_slot.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)  # who it is for
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id"))  # the household it counts against
    seats: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # staff, when booked at the desk
    reason: Mapped[str] = mapped_column(String(200), default="")  # why refused or cancelled by staff
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # when taken off the waitlist: a seat freed after the start gives the household no_show_minutes from then
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_hour_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resource = relationship(Resource, lazy="selectin")
    slot = relationship(Slot, lazy="selectin")


class BookingLog(TenantMixin, CreatedMixin, db.Model):
    """What staff did to bookings (booked for a resident, approved, refused, cancelled, checked in, blocked)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("booking_slot.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200), default="")


class BookingSettings(db.Model):
    """Community rules: repeated no-shows lower a household's quotas for a while (off when no_show_limit = 0)."""
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    no_show_limit: Mapped[int] = mapped_column(Integer, default=0)  # no-shows within penalty_days that count
    penalty_days: Mapped[int] = mapped_column(Integer, default=30)
    penalty: Mapped[int] = mapped_column(Integer, default=1)  # taken off each quota (to no fewer than 0)
    senior_age: Mapped[int] = mapped_column(Integer, default=60)
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
