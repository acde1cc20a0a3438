"""Users, their roles in communities, and where they live."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

ROLES = ("resident", "staff")
RELATIONS = ("owner", "tenant", "family")
RESIDENCY_STATUSES = ("pending", "verified", "rejected")
LOCALES = ("zh-CN", "en")


class User(UserMixin, CreatedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(50))
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    care_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_year: Mapped[int | None] = mapped_column(Integer)  # optional; bookings for seniors (60+) read it
    # Bumped by logout, password change and disabling: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every UPDATE of the row, through the ORM or not (onupdate): each process remembers the row by
    # id, creation time, session_version and revision, and a request asks the database only for those
    # (backend/security.py).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1",
                                          onupdate=literal_column("revision") + 1)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", lazy="selectin")
    residencies: Mapped[list["Residency"]] = relationship(
        back_populates="user", foreign_keys="Residency.user_id")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def roles_in(self, community_id: int) -> set[str]:
        if "memberships" not in self.__dict__ and hasattr(self, "roles"):
            return {role for cid, role in self.roles if cid == community_id}  # as loaded with the session
        return {m.role for m in self.memberships if m.community_id == community_id}


class Membership(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("community_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(50), default="")
    user: Mapped[User] = relationship(back_populates="memberships")
    community = relationship("Community", lazy="joined")


class Residency(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (UniqueConstraint("user_id", "dwelling_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reject_reason: Mapped[str] = mapped_column(String(200), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship(back_populates="residencies", foreign_keys=[user_id])
    dwelling = relationship("Dwelling", lazy="joined")


class InviteCode(TenantMixin, CreatedMixin, db.Model):
    """A household invite: whoever registers with it is verified at once for that dwelling."""
    __table_args__ = (CheckConstraint("uses >= 0 AND uses <= max_uses", name="uses_within_max"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    dwelling = relationship("Dwelling", lazy="joined")

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.uses < self.max_uses and self.expires_at > utcnow()


class PasswordReset(TenantMixin, CreatedMixin, db.Model):
    """A one-time code staff give a resident at the desk after checking who they are. The row stays as the
    record of who issued it and when it was used; only the code's hash is kept."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # tries with this code, the right one too
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
