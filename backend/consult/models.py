"""Questions to the community (咨询): residents ask staff or the area's party members, and get answers in the app.

Nothing here is deleted: answers, follow-ups and transfers are appended; a question ends closed.
"""
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.extensions import db

# code → (zh-CN, en): what residents pick and what staff route by.
TOPICS = {
    "housing": ("房屋物业", "Housing & property"),
    "elderly": ("养老助老", "Elderly care"),
    "health": ("医疗健康", "Health"),
    "law": ("法律", "Legal"),
    "employment": ("就业社保", "Jobs & social insurance"),
    "education": ("教育托育", "Education & childcare"),
    "certificates": ("证明办理", "Certificates"),
    "environment": ("环境卫生", "Environment"),
    "safety": ("治安安全", "Safety"),
    "other": ("其他", "Other"),
}
STATUSES = ("open", "answered", "closed")
DEFAULT_PROMISE_DAYS = 2


class Question(TenantMixin, db.Model):
    __table_args__ = (Index("ix_question_inbox", "community_id", "status", "due_at"),
                      CheckConstraint("status IN ('open', 'answered', 'closed')", name="status_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    topic: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # The profile the resident chose (None: "the community"), and the one it is routed or transferred to.
    addressed_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    assignee_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    faq_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Unique: however many staff press "make an FAQ" at once, one guide item comes of it.
    faq_item_id: Mapped[int | None] = mapped_column(ForeignKey("guide_item.id"), unique=True)
    asker = relationship("User", lazy="selectin")
    addressed_to = relationship("Contact", foreign_keys=[addressed_contact_id], lazy="selectin")
    assignee = relationship("Contact", foreign_keys=[assignee_contact_id], lazy="selectin")
    answers: Mapped[list["QuestionEntry"]] = relationship(
        lazy="selectin", order_by="(QuestionEntry.created_at, QuestionEntry.id)")
    photos: Mapped[list["QuestionPhoto"]] = relationship(lazy="selectin", order_by="QuestionPhoto.position")

    @property
    def source(self) -> str:
        """How the push outbox names this question's messages."""
        return f"question:{self.id}"


class QuestionEntry(TenantMixin, CreatedMixin, db.Model):
    """An answer, or the asker's follow-up; the author's name and title as they were when written."""
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(String(50))
    author_title: Mapped[str] = mapped_column(String(100), default="")
    is_asker: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)

    @property
    def by(self) -> dict:
        if self.is_asker:
            return {"name": self.author_name, "asker": True}
        return {"name": self.author_name, "title": self.author_title}


class QuestionPhoto(TenantMixin, db.Model):
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("stored_file.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class QuestionTransfer(TenantMixin, CreatedMixin, db.Model):
    """Who passed a question on, from whom to whom, and why."""
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    from_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    to_contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(String(200), default="")


class ConsultSettings(db.Model):
    """A community's promise (answer within N working days) and its calendar: extra days off and 调休 workdays."""
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    promise_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_PROMISE_DAYS)
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    workdays: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ConsultRoute(db.Model):
    """Staff's routing table: questions of this topic go to this contact."""
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(16), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
