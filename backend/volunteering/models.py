"""Volunteers (志愿者), their skills and teams, activities with sign-ups and a waitlist, attendance and hours,
and the certificates of hours that anyone may verify by their code."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db
from backend.facilities.models import Facility

VOLUNTEER_STATUSES = ("pending", "approved", "rejected", "withdrawn")
AVAILABILITY = ("weekday_morning", "weekday_afternoon", "weekday_evening", "weekend_morning",
                "weekend_afternoon", "weekend_evening")
ACTIVITY_STATUSES = ("draft", "open", "cancelled")
POINTS_MODES = ("per_hour", "fixed")
SIGNUP_STATUSES = ("confirmed", "waitlisted", "cancelled")
ATTENDANCE_STATUSES = ("pending", "approved", "rejected")
ROUNDING_MINUTES = (1, 15, 30, 60)
ROUNDINGS = ("down", "nearest")

volunteer_skill = Table(
    "volunteer_skill_link", db.metadata,
    Column("volunteer_id", ForeignKey("volunteer.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("volunteer_skill.id", ondelete="CASCADE"), primary_key=True, index=True))
volunteer_team = Table(
    "volunteer_team_link", db.metadata,
    Column("volunteer_id", ForeignKey("volunteer.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("volunteer_team.id", ondelete="CASCADE"), primary_key=True, index=True))
activity_skill = Table(
    "volunteer_activity_skill", db.metadata,
    Column("activity_id", ForeignKey("volunteer_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("volunteer_skill.id", ondelete="CASCADE"), primary_key=True, index=True))


class VolunteerSkill(TenantMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class VolunteerTeam(TenantMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(200), default="")


class Volunteer(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    emergency_name: Mapped[str] = mapped_column(String(50), default="")
    emergency_phone: Mapped[str] = mapped_column(String(20), default="")
    show_on_board: Mapped[bool] = mapped_column(Boolean, default=False)
    reject_reason: Mapped[str] = mapped_column(String(200), default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user = relationship("User", foreign_keys=[user_id], lazy="selectin")
    skills: Mapped[list[VolunteerSkill]] = relationship(secondary=volunteer_skill, lazy="selectin",
                                                        order_by=VolunteerSkill.position)
    teams: Mapped[list[VolunteerTeam]] = relationship(secondary=volunteer_team, lazy="selectin",
                                                      order_by=VolunteerTeam.id)


class Activity(TenantMixin, CreatedMixin, db.Model):
    __tablename__ = "volunteer_activity"
    __table_args__ = (CheckConstraint("places >= 1", name="places_positive"),
                      CheckConstraint("points >= 0", name="points_not_negative"))
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    places: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_team.id", ondelete="SET NULL"))
    points_mode: Mapped[str] = mapped_column(String(10), default="per_hour")
    points: Mapped[int] = mapped_column(Integer, default=0)
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    cancel_cutoff: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="draft")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    facility = relationship(Facility, lazy="selectin")
    skills: Mapped[list[VolunteerSkill]] = relationship(secondary=activity_skill, lazy="selectin",
                                                        order_by=VolunteerSkill.position)


class Signup(TenantMixin, CreatedMixin, db.Model):
    """`seq` orders the sign-ups of an activity: the waitlist is promoted in this order."""
    __tablename__ = "volunteer_signup"
    __table_args__ = (UniqueConstraint("activity_id", "volunteer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("volunteer_activity.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    seq: Mapped[int] = mapped_column(Integer)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    volunteer = relationship(Volunteer, lazy="selectin")


class Attendance(TenantMixin, CreatedMixin, db.Model):
    __tablename__ = "volunteer_attendance"
    __table_args__ = (UniqueConstraint("activity_id", "volunteer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("volunteer_activity.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    points_awarded: Mapped[int] = mapped_column(Integer, default=0)
    adjust_reason: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("point_transaction.id"))
    activity = relationship(Activity, lazy="selectin")
    volunteer = relationship(Volunteer, lazy="selectin")


class VolunteerSettings(db.Model):
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    rounding_minutes: Mapped[int] = mapped_column(Integer, default=30)
    rounding: Mapped[str] = mapped_column(String(10), default="nearest")
    checkin_early_minutes: Mapped[int] = mapped_column(Integer, default=60)
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Certificate(TenantMixin, db.Model):
    """What was certified, frozen when issued: the PDF and the public check both read it."""
    __tablename__ = "volunteer_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    activities: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
