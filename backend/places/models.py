"""Communities and what they are made of: grids, buildings, dwellings."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin
from backend.extensions import db


class Community(CreatedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    district: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")


class Grid(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    workers: Mapped[list["GridWorker"]] = relationship(cascade="all, delete-orphan")


class GridWorker(TenantMixin, db.Model):
    """A staff member responsible for a grid (网格员)."""
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    user = relationship("User", lazy="joined")


class Building(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    grid: Mapped[Grid | None] = relationship(lazy="joined")


class Dwelling(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (
        UniqueConstraint("building_id", "unit", "room"),
        CheckConstraint("floor_area > 0", name="floor_area_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    floor_area: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    building: Mapped[Building] = relationship(lazy="joined")
    owners: Mapped[list["DwellingOwner"]] = relationship(cascade="all, delete-orphan")

    @property
    def grid(self) -> Grid | None:
        return self.building.grid


class DwellingOwner(TenantMixin, db.Model):
    """An owner as registered by the community (from the housing register), known by phone."""
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), primary_key=True, index=True)


def dwelling_label(building: str, unit: str, room: str) -> str:
    return f"{building}{unit}单元{room}" if unit else f"{building}{room}"
