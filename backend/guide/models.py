"""The service guide (办事指南): categories, items, and residents' "was this helpful"."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

MODES = ("in_person", "online", "both")
MATERIAL_FORMS = ("original", "copy", "both")


class GuideCategory(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    icon: Mapped[str] = mapped_column(String(40), default="description")
    position: Mapped[int] = mapped_column(Integer, default=0)


class GuideItem(TenantMixin, CreatedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("guide_category.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(200), default="")
    audience: Mapped[str] = mapped_column(Text, default="")  # who it is for, and the conditions
    # [{"name": "身份证", "form": "original", "copies": 1, "note": ""}]
    materials: Mapped[list[dict]] = mapped_column(JSON, default=list)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    office: Mapped[str] = mapped_column(String(200), default="")  # office and window
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id", ondelete="SET NULL"))
    office_hours: Mapped[str] = mapped_column(String(200), default="")
    fee: Mapped[str] = mapped_column(String(100), default="")
    time_limit_days: Mapped[int | None] = mapped_column(Integer)  # working days
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(16), default="in_person")
    online_url: Mapped[str] = mapped_column(String(300), default="")
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    phone: Mapped[str] = mapped_column(String(30), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Certificates the residents' committee no longer issues (and where to go instead).
    no_longer_issued: Mapped[bool] = mapped_column(Boolean, default=False)
    instead: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    category: Mapped[GuideCategory] = relationship(lazy="joined")
    facility = relationship("Facility", lazy="joined")
    contact = relationship("User", lazy="joined")


class GuideFeedback(TenantMixin, CreatedMixin, db.Model):
    """One answer per person and item; answering again replaces it."""
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("guide_item.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(String(500), default="")
    user = relationship("User", lazy="joined")
