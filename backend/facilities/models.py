"""Public facilities of a community: types, places with coordinates, opening hours."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

ACCESSIBILITY = ("wheelchair", "step_free", "elevator", "accessible_toilet", "braille", "hearing_loop",
                 "guide_dog", "seating")


class FacilityType(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    icon: Mapped[str] = mapped_column(String(40), default="location-o")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Facility(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        Index("ix_facility_geo", "community_id", "latitude", "longitude"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("facility_type.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(30), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"mon": [["08:30", "12:00"], ["14:00", "17:30"]], ...}; see hours.py
    hours: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"start": "2026-10-01", "end": "2026-10-07", "kind": "closed", "ranges": [], "note": "国庆闭馆"}]
    exceptions: Mapped[list[dict]] = mapped_column(JSON, default=list)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    type: Mapped[FacilityType] = relationship(lazy="joined")
    staff = relationship("User")
