"""Polls (投票), who may vote in them, and the ballots: one per voter, unit or home, on every channel.

A secret poll keeps who voted (Participation) and what was chosen (Ballot) in tables that share no key,
no time and no order: a ballot's id is random and it carries no timestamp. An open poll links the two
through OpenVote, written for open polls only, so names can stand beside choices and a vote can change.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime
from backend.extensions import db

KINDS = ("opinion", "owners")              # 意见征集; 业主共同决定事项 (Civil Code Art. 278)
CHOICES = ("single", "multiple", "approval")
COUNTING = ("person", "dwelling", "unit")  # unit: owners' decisions, one per connected group of owners
MATTERS = ("ordinary", "major")
RESULTS = ("live", "after_vote", "after_close")
STATUSES = ("draft", "scheduled", "open", "closed", "withdrawn")
CHANNELS = ("online", "paper", "proxy")
MEANINGS = ("yes", "no", "abstain")


class Poll(TenantMixin, CreatedMixin, db.Model):
    __table_args__ = (Index("ix_poll_listing", "community_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    choice: Mapped[str] = mapped_column(String(16), default="single")
    min_choices: Mapped[int] = mapped_column(Integer, default=1)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    counting: Mapped[str] = mapped_column(String(16), default="person")
    # {"everyone": bool, "grid_ids": [...], "building_ids": [...]}, as notices address places
    scope: Mapped[dict] = mapped_column(JSON)
    owners_only: Mapped[bool] = mapped_column(Boolean, default=False)
    matter: Mapped[str | None] = mapped_column(String(16))
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    results: Mapped[str] = mapped_column(String(16), default="after_close")
    allow_change: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdraw_reason: Mapped[str] = mapped_column(String(200), default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Frozen when the poll opens (owners' decisions): an import later cannot move the denominators.
    roll_heads: Mapped[int | None] = mapped_column(Integer)
    roll_area: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    options: Mapped[list["PollOption"]] = relationship(order_by="PollOption.position", lazy="selectin",
                                                       cascade="all, delete-orphan")

    @property
    def source(self) -> str:
        """How the push outbox names this poll's messages."""
        return f"poll:{self.id}"


class PollOption(TenantMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    meaning: Mapped[str | None] = mapped_column(String(8))  # owners' decisions: yes / no / abstain


class RollUnit(TenantMixin, db.Model):
    """A voting unit of an owners' decision: its dwellings' whole area, one head."""
    __table_args__ = (UniqueConstraint("poll_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    area: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    label: Mapped[str] = mapped_column(String(200))


class RollOwner(TenantMixin, db.Model):
    """An owner on record (by phone) when the poll opened, and the unit they vote for."""
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("roll_unit.id", ondelete="CASCADE"), index=True)


class RollDwelling(TenantMixin, db.Model):
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwelling.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("roll_unit.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))


class Participation(TenantMixin, db.Model):
    """Who took part (a person, a home or a unit), when and how: never what they chose."""
    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    # "user:12", "dwelling:34" or "unit:56": the database lets one ballot through per key, whatever the channel
    voter_key: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    channel: Mapped[str] = mapped_column(String(8))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    void: Mapped[bool] = mapped_column(Boolean, default=False)
    user = relationship("User", foreign_keys=[user_id], lazy="joined")


class Ballot(TenantMixin, db.Model):
    """What was chosen, with the weight it carries: no voter, no unit, no time, a random id."""
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    choices: Mapped[list] = mapped_column(JSON)
    area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    channel: Mapped[str] = mapped_column(String(8))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    void: Mapped[bool] = mapped_column(Boolean, default=False)


class OpenVote(TenantMixin, db.Model):
    """Open polls only: which ballot is whose, to show names beside choices and to change a vote."""
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id", ondelete="CASCADE"),
                                                  primary_key=True)
    ballot_id: Mapped[str] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), unique=True)


class PaperCode(TenantMixin, CreatedMixin, db.Model):
    """A one-time code printed on a paper slip for a unit or home; only its salted hash is kept."""
    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(40))
    lookup: Mapped[str] = mapped_column(String(16), unique=True)  # the code's public half, to find the row
    code_hash: Mapped[str] = mapped_column(String(128))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProxyConsent(TenantMixin, CreatedMixin, db.Model):
    """A resident's recorded consent for staff to vote on their behalf: at most one per voter key."""
    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(40))
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    witness: Mapped[str] = mapped_column(String(50))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    form_ref: Mapped[str] = mapped_column(String(50))
    # The photo of the signed form (backend/files/): staff and this resident may see it.
    photo_id: Mapped[str] = mapped_column(ForeignKey("stored_file.id"), index=True)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    disputed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispute_reason: Mapped[str] = mapped_column(String(200), default="")
