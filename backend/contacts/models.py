"""The staff directory (社区干部联系): who handles what, how to reach them, and when they are on duty.

A profile is never deleted: staff hide it. Its weekly roster is spans of minutes in the community's local
time; a dated exception (weekend or holiday duty, or leave) replaces the weekly pattern for its date.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

# code → (zh-CN label, words residents search by): the order is the directory's order. The first word is
# the one most say, so that its initials ("mj" for 民警) match the start of the indexed tags.
POSITIONS = {
    "secretary": ("书记", ("书记", "党委书记")),
    "director": ("主任", ("主任", "居委会主任")),
    "deputy": ("副主任", ("副主任",)),
    "member": ("委员", ("委员",)),
    "grid_worker": ("网格员", ("网格员",)),
    "police": ("社区民警", ("民警", "社区民警", "警察", "片警")),
    "doctor": ("家庭医生", ("医生", "家庭医生")),
    "lawyer": ("法律顾问", ("律师", "法律顾问")),
    "property": ("物业经理", ("物业", "物业经理")),
    "other": ("其他", ()),
}
AREAS = ("law", "health", "education", "elderly", "housing", "employment", "other")
MINUTES_PER_DAY = 24 * 60


class Contact(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (Index("ix_contact_listing", "community_id", "visible"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100), default="")
    handles: Mapped[str] = mapped_column(String(500), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_phone: Mapped[str] = mapped_column(String(20), default="")
    private_mobile: Mapped[str] = mapped_column(String(11), default="")
    show_mobile: Mapped[bool] = mapped_column(Boolean, default=False)
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    # A party member who volunteers for consultation (党员咨询): their areas (codes) and when; else None.
    party_areas: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    party_hours: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    grid_links: Mapped[list["ContactGrid"]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    spans: Mapped[list["RosterSpan"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="(RosterSpan.weekday, RosterSpan.start)")

    @property
    def grids(self) -> list:
        return sorted((link.grid for link in self.grid_links), key=lambda g: (g.name, g.id))

    @property
    def mobile(self) -> str:
        """What members see: the personal mobile only when its owner opted in."""
        return self.private_mobile if self.show_mobile else ""

    @property
    def party(self) -> dict | None:
        return None if self.party_areas is None else {"areas": self.party_areas, "hours": self.party_hours or ""}


class ContactGrid(TenantMixin, db.Model):
    """A grid a contact serves: residents of its buildings see them as "my grid worker"."""
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id", ondelete="CASCADE"), primary_key=True, index=True)
    grid = relationship("Grid", lazy="joined")


class RosterSpan(TenantMixin, db.Model):
    """Weekly hours: on `weekday` (0 = Monday) from `start` to `end`, minutes after local midnight."""
    __table_args__ = (CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_in_week"),
                      CheckConstraint('start >= 0 AND start < "end" AND "end" <= 1440', name="span_in_day"))
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class RosterException(TenantMixin, db.Model):
    """A date unlike the weekly pattern: off (leave), or its own spans (weekend or holiday duty)."""
    __table_args__ = (Index("ix_roster_exception_day", "contact_id", "date"),
                      CheckConstraint('off OR (start IS NOT NULL AND "end" IS NOT NULL AND start >= 0 '
                                      'AND start < "end" AND "end" <= 1440)', name="exception_span_in_day"))
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    off: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(100), default="")
