"""The volunteers' worker job: a reminder push the day before an activity, once per sign-up."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Community
from backend.volunteering import notify, registry
from backend.volunteering.models import Activity, Signup, Volunteer
from backend.worker import job

AHEAD = timedelta(hours=24)


def remind_due(now: datetime | None = None, limit: int = 20) -> int:
    """Confirmed sign-ups of open activities starting within a day get one reminder each."""
    now = now or utcnow()
    due = list(db.session.scalars(
        select(Activity).where(Activity.status == "open", Activity.starts_at > now,
                               Activity.starts_at <= now + AHEAD,
                               Activity.id.in_(select(Signup.activity_id).where(
                                   Signup.status == "confirmed", Signup.reminded_at.is_(None))))
        .order_by(Activity.starts_at).limit(limit)))
    sent = 0
    for activity in due:
        users = []
        if registry.settings(activity.community_id)["reminders"]:
            users = list(db.session.scalars(
                update(Signup).where(Signup.activity_id == activity.id, Signup.status == "confirmed",
                                     Signup.reminded_at.is_(None))
                .values(reminded_at=now).returning(Signup.volunteer_id)
                .execution_options(synchronize_session=False)))
        else:
            db.session.execute(update(Signup).where(Signup.activity_id == activity.id,
                                                    Signup.reminded_at.is_(None)).values(reminded_at=now))
        user_ids = list(db.session.scalars(select(Volunteer.user_id).where(Volunteer.id.in_(users))))
        tz = ZoneInfo(db.session.get(Community, activity.community_id).timezone)
        notify.reminder(activity, user_ids, activity.starts_at.astimezone(tz).strftime("%m-%d %H:%M"), now)
        db.session.commit()
        sent += len(user_ids)
    return len(due)


@job
def remind_volunteers() -> int:
    """Push tomorrow's activities to the volunteers signed up for them, once."""
    return remind_due()
