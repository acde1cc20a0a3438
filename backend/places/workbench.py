"""A staff member's to-do counts for one community, for the workbench at the top of their home screen.

Two statements whatever the size of the community: one row of counts (each a subquery on an indexed
status column), and the read rate of the latest published notices grouped in one pass.
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from backend.accounts.models import Residency
from backend.bookings.models import Booking
from backend.common.models import utcnow
from backend.consult.models import Question
from backend.extensions import db
from backend.notices.models import Notice, NoticeRecipient
from backend.volunteering.models import Attendance, Volunteer

RECENT_NOTICES = 3
RECENT_DAYS = 30


def _count(model, community_id: int, *conditions):
    return (select(func.count()).select_from(model)
            .where(model.community_id == community_id, *conditions).scalar_subquery())


def _counts(community_id: int, now: datetime) -> dict:
    open_question = Question.status == "open"
    columns = {
        "residents_pending": _count(Residency, community_id, Residency.status == "pending"),
        "volunteers_pending": _count(Volunteer, community_id, Volunteer.status == "pending"),
        "hours_pending": _count(Attendance, community_id, Attendance.status == "pending",
                                Attendance.checked_out_at.is_not(None)),
        "bookings_pending": _count(Booking, community_id, Booking.status == "pending"),
        "questions_open": _count(Question, community_id, open_question),
        "questions_overdue": _count(Question, community_id, open_question, Question.due_at < now),
    }
    row = db.session.execute(select(*(c.label(k) for k, c in columns.items()))).one()
    return dict(row._mapping)


def _recent_notices(community_id: int, now: datetime) -> list[dict]:
    latest = (select(Notice.id).where(Notice.community_id == community_id, Notice.status == "published",
                                      Notice.published_at > now - timedelta(days=RECENT_DAYS))
              .order_by(Notice.published_at.desc(), Notice.id.desc()).limit(RECENT_NOTICES).subquery())
    stmt = (select(Notice.id, Notice.title, Notice.category, Notice.published_at,
                   func.count(NoticeRecipient.user_id), func.count(NoticeRecipient.read_at))
            .join(latest, latest.c.id == Notice.id)
            .outerjoin(NoticeRecipient, and_(NoticeRecipient.notice_id == Notice.id,
                                             NoticeRecipient.community_id == community_id))
            .group_by(Notice.id, Notice.title, Notice.category, Notice.published_at)
            .order_by(Notice.published_at.desc(), Notice.id.desc()))
    keys = ("id", "title", "category", "published_at", "addressed", "read")
    return [dict(zip(keys, row, strict=True)) for row in db.session.execute(stmt)]


def workbench(community_id: int, now: datetime | None = None) -> dict:
    now = now or utcnow()
    return {**_counts(community_id, now), "notices": _recent_notices(community_id, now)}
