"""Points (积分) and the love supermarket (爱心超市): a double-entry ledger and what residents redeem with it.

Every movement of points is a PointTransaction whose PointEntry rows sum to zero. Entries are appended,
never changed; an account's `balance` is a cache of the sum of its entries, kept by a conditional UPDATE
in the same database transaction, so a resident's, a partner's or a held balance can never go below zero.
"""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime
from backend.extensions import db

ACCOUNT_KINDS = ("pool", "resident", "partner", "held")
TRANSACTION_KINDS = ("hours", "manual", "redeem", "handover", "cancel", "expire", "reversal", "adjust")
EARNING_KINDS = ("hours", "manual", "adjust")
ITEM_KINDS = ("goods", "service")
REDEMPTION_STATUSES = ("reserved", "handed_over", "cancelled", "expired")


class PointAccount(TenantMixin, db.Model):
    """The community pool (issues points, may go negative), a resident, a partner, or a resident's held
    points (reserved by redemptions not yet handed over). `owner` makes each one unique per community."""
    __table_args__ = (UniqueConstraint("community_id", "owner"),
                      CheckConstraint("kind = 'pool' OR balance >= 0", name="balance_not_negative"),
                      CheckConstraint("kind IN ('pool', 'resident', 'partner', 'held')", name="kind_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    owner: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    balance: Mapped[int] = mapped_column(Integer, default=0)


class PointTransaction(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "key"),
                      Index("ix_point_transaction_listing", "community_id", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Unique: a transaction is reversed at most once, however many staff press the button together.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("point_transaction.id"), unique=True)
    entries: Mapped[list["PointEntry"]] = relationship(lazy="selectin", order_by="PointEntry.id",
                                                       viewonly=True)


class PointEntry(db.Model):
    """Append-only: one leg of a transaction."""
    __table_args__ = (CheckConstraint("amount <> 0", name="amount_not_zero"),
                      Index("ix_point_entry_account", "account_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("point_transaction.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("point_account.id"))
    amount: Mapped[int] = mapped_column(Integer)
    account = relationship("PointAccount", lazy="joined", viewonly=True)


class Partner(TenantMixin, db.Model):
    """A shop or service that honours redemptions (理发, 家电维修, 助餐)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    members: Mapped[list["PartnerMember"]] = relationship(lazy="selectin", viewonly=True)


class PartnerMember(TenantMixin, db.Model):
    __table_args__ = (UniqueConstraint("partner_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    user = relationship("User", lazy="selectin")


class CatalogItem(TenantMixin, db.Model):
    __table_args__ = (CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
                      CheckConstraint("points_cost > 0", name="cost_positive"),
                      CheckConstraint("kind IN ('goods', 'service')", name="kind_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("stored_file.id"))
    points_cost: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int | None] = mapped_column(Integer)
    monthly_limit: Mapped[int | None] = mapped_column(Integer)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    partner = relationship("Partner", lazy="selectin")


class Redemption(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (Index("ix_redemption_user_month", "community_id", "user_id", "item_id", "created_at"),
                      Index("ix_redemption_status", "community_id", "status", "expires_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_item.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    # Unique among reserved ones only (a partial index), so codes can be issued again later.
    pickup_code: Mapped[str | None] = mapped_column(String(8))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    transaction_id: Mapped[int] = mapped_column(ForeignKey("point_transaction.id"), unique=True)
    closing_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("point_transaction.id"), unique=True)
    handed_over_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_reason: Mapped[str] = mapped_column(String(200), default="")
    item = relationship("CatalogItem", lazy="selectin")
    user = relationship("User", foreign_keys=[user_id], lazy="selectin")


db.Index("uq_redemption_pickup_code", Redemption.community_id, Redemption.pickup_code, unique=True,
         sqlite_where=text("status = 'reserved'"), postgresql_where=text("status = 'reserved'"))


class PointsSettings(TenantMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    expiry: Mapped[str] = mapped_column(String(10), default="none")
    pickup_days: Mapped[int] = mapped_column(Integer, default=14)
    # The last year whose yearly expiry the worker finished for this community.
    expired_year: Mapped[int | None] = mapped_column(Integer)
