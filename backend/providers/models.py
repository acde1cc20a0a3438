"""Convenience services (便民服务) from nearby providers: who they are, what they offer at what price, where,
verified by staff against a licence photo kept private, and residents' ratings (one per household per
provider per month)."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

CATEGORIES = ("housekeeping", "repair", "locksmith", "meals", "haircut", "parcels", "health", "laundry", "other")
PROVIDER_STATUSES = ("pending", "verified", "suspended")


class Provider(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (CheckConstraint("rating_count >= 0", name="rating_count_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    service_area: Mapped[str] = mapped_column(String(200), default="")  # e.g. "本社区及周边 3 公里"
    hours: Mapped[dict] = mapped_column(JSON, default=dict)  # same shape as facility hours
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)  # public file ids
    licence_file_id: Mapped[str | None] = mapped_column(ForeignKey("stored_file.id"))  # staff only
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    status_reason: Mapped[str] = mapped_column(String(200), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)  # of visible ratings
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    services: Mapped[list["ProviderService"]] = relationship(
        back_populates="provider", lazy="selectin", order_by="ProviderService.position, ProviderService.id")


class ProviderService(TenantMixin, db.Model):
    __table_args__ = (CheckConstraint("price_from IS NULL OR price_from >= 0", name="price_not_negative"),
                      CheckConstraint("price_to IS NULL OR price_from IS NULL OR price_to >= price_from",
                                      name="price_range"))
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    price_from: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # yuan; None: ask
    price_to: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    unit: Mapped[str] = mapped_column(String(20), default="")  # 次, 小时, 平方米
    position: Mapped[int] = mapped_column(Integer, default=0)
    provider: Mapped[Provider] = relationship(back_populates="services")


class ProviderRating(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("provider_id", "dwelling_id", "month"),
                      CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"))
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"), index=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11" in the community's timezone
    stars: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300), default="")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(String(200), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
