"""Attendance: check-in and check-out by a rotating QR code (or recorded by staff), hours rounded by the
community's rule, and staff's approval, which awards the points through the ledger in the same transaction."""
import re
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update

from backend.common import rotating_code
from backend.common.db import upsert
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.errors import Conflict, invalid
from backend.extensions import db
from backend.places.services import get_in_community
from backend.points import ledger
from backend.volunteering import activities, registry
from backend.volunteering.models import Activity, Attendance, Signup, Volunteer

WINDOW = rotating_code.WINDOW  # seconds a check-in code lasts; the previous window's code is still accepted
MODES = {"in": "i", "out": "o"}
MARGIN = timedelta(hours=4)  # how long after the end hours may still run (clearing up, a late finish)


def round_minutes(minutes: int, unit: int, rule: str) -> int:
    """Whole minutes by the rule: "down" to the unit below, "nearest" with halves going up."""
    minutes = max(0, minutes)
    return (minutes // unit if rule == "down" else (minutes + unit // 2) // unit) * unit


def worked(community_id: int, start: datetime, end: datetime) -> int:
    rule = registry.settings(community_id)
    return round_minutes(int((end - start).total_seconds() // 60), rule["rounding_minutes"], rule["rounding"])


def max_minutes(activity: Activity) -> int:
    """The most minutes one attendance may count: the activity's length plus the margin, at most a day."""
    return min(24 * 60, int((activity.ends_at - activity.starts_at + MARGIN).total_seconds()) // 60)


def points_for(activity: Activity, minutes: int) -> int:
    if activity.points_mode == "fixed":
        return activity.points if minutes > 0 else 0
    return (minutes * activity.points + 30) // 60


# The rotating code -----------------------------------------------------------------------------------------

PURPOSE = "volunteer-scan"
SUBJECT = re.compile(r"([1-9][0-9]{0,9})\.([io])")


def code(community_id: int, activity_id: int, mode: str, now: datetime | None = None) -> dict:
    activities.get_activity(community_id, activity_id)
    issued = rotating_code.issue(PURPOSE, community_id, f"{activity_id}.{MODES[mode]}", now or utcnow())
    return {**issued, "mode": mode}


def read_token(community_id: int, token: str, now: datetime) -> tuple[int, str]:
    match = rotating_code.read(PURPOSE, community_id, token, SUBJECT, now)
    modes = {v: k for k, v in MODES.items()}
    return int(match[1]), modes[match[2]]


def scan(community_id: int, user, token: str, now: datetime | None = None) -> dict:
    now = now or utcnow()
    activity_id, mode = read_token(community_id, token, now)
    activity = activities.get_activity(community_id, activity_id)
    volunteer = registry.approved(community_id, user.id)
    signed = db.session.scalar(select(Signup.id).filter_by(activity_id=activity.id, volunteer_id=volunteer.id,
                                                           status="confirmed"))
    if signed is None or activity.status != "open":
        raise Conflict("You have no confirmed place in this activity.", "not_signed_up")
    row = check_in(activity, volunteer, now) if mode == "in" else check_out(activity, volunteer, now)
    return {"activity": activity, "mode": mode, "attendance": row}


def _find(activity: Activity, volunteer: Volunteer) -> Attendance | None:
    return db.session.scalar(select(Attendance).filter_by(activity_id=activity.id, volunteer_id=volunteer.id)
                             .execution_options(populate_existing=True))


def check_in(activity: Activity, volunteer: Volunteer, now: datetime) -> Attendance:
    early = registry.settings(activity.community_id)["checkin_early_minutes"]
    if now < activity.starts_at - timedelta(minutes=early):
        raise Conflict("Check-in has not opened yet.", "too_early")
    # A repeated scan (or two at once) keeps the first check-in.
    db.session.execute(upsert(Attendance.__table__).values(
        community_id=activity.community_id, activity_id=activity.id, volunteer_id=volunteer.id,
        checked_in_at=now, status="pending", points_awarded=0, adjust_reason="", created_at=now)
        .on_conflict_do_nothing())
    db.session.commit()
    return _find(activity, volunteer)


def check_out(activity: Activity, volunteer: Volunteer, now: datetime) -> Attendance:
    row = _find(activity, volunteer)
    if row is None or row.checked_in_at is None:
        raise Conflict("Check in first.", "not_checked_in")
    db.session.execute(update(Attendance).where(Attendance.id == row.id, Attendance.checked_out_at.is_(None))
                       .values(checked_out_at=now, minutes=min(worked(activity.community_id, row.checked_in_at, now),
                                                               max_minutes(activity)))
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return _find(activity, volunteer)


def _check_times(activity: Activity, start: datetime, end: datetime) -> None:
    early = registry.settings(activity.community_id)["checkin_early_minutes"]
    if start < activity.starts_at - timedelta(minutes=early):
        raise invalid("checked_in_at", "Before check-in opens for this activity.")
    if end <= start:
        raise invalid("checked_out_at", "Must be after the check-in.")
    if end > activity.ends_at + MARGIN or end - start > timedelta(hours=24):
        raise invalid("checked_out_at", "Too long after the activity ended.")


def _check_minutes(activity: Activity, minutes: int | None) -> None:
    if minutes is not None and minutes > max_minutes(activity):
        raise invalid("minutes", f"At most {max_minutes(activity)} minutes for this activity.")


def record(community_id: int, activity_id: int, staff, volunteer_id: int, checked_in_at: datetime,
           checked_out_at: datetime) -> Attendance:
    """Staff record the times of someone without a phone (or correct a pending record)."""
    activity = activities.get_activity(community_id, activity_id)
    if activity.status != "open":
        raise Conflict("Attendance is recorded only for a published activity.", "activity_not_open")
    volunteer = get_in_community(Volunteer, community_id, volunteer_id, "volunteer_id")
    if volunteer.status != "approved" or not registry.is_verified(community_id, volunteer.user_id):
        raise invalid("volunteer_id", "Not an approved volunteer of this community.")
    _check_times(activity, checked_in_at, checked_out_at)
    row = _find(activity, volunteer) or Attendance(community_id=community_id, activity_id=activity.id,
                                                   volunteer_id=volunteer.id, status="pending")
    if row.status != "pending":
        raise Conflict("These hours have been decided.", "already_decided")
    row.checked_in_at, row.checked_out_at, row.recorded_by = checked_in_at, checked_out_at, staff.id
    row.minutes = min(worked(community_id, checked_in_at, checked_out_at), max_minutes(activity))
    db.session.add(row)
    db.session.commit()
    return row


# Approval --------------------------------------------------------------------------------------------------

def _with_points(rows: list[Attendance]) -> list[Attendance]:
    for row in rows:
        row.points = row.points_awarded if row.status == "approved" else points_for(row.activity, row.minutes or 0)
    return rows


def approvals(community_id: int, page: int, per_page: int) -> dict:
    stmt = (select(Attendance).where(Attendance.community_id == community_id, Attendance.status == "pending",
                                     Attendance.checked_out_at.is_not(None))
            .order_by(Attendance.checked_out_at, Attendance.id))
    result = paginate(stmt, page, per_page)
    _with_points(result["items"])
    return result


def _decide(community_id: int, attendance_id: int, **values) -> Attendance:
    row = get_in_community(Attendance, community_id, attendance_id)
    if row.checked_out_at is None:
        raise Conflict("This volunteer has not checked out yet.", "not_checked_out")
    done = db.session.execute(update(Attendance).where(Attendance.id == row.id, Attendance.status == "pending")
                              .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict("These hours have been decided already.", "already_decided")
    db.session.refresh(row)
    return row


def approve(community_id: int, attendance_id: int, staff, minutes: int | None = None, reason: str = "",
            now: datetime | None = None) -> Attendance:
    now = now or utcnow()
    row = get_in_community(Attendance, community_id, attendance_id)
    _check_minutes(row.activity, minutes)
    if minutes is not None and minutes != row.minutes and not reason:
        raise invalid("reason", "Say why the minutes differ from the record.")
    minutes = min(row.minutes or 0, max_minutes(row.activity)) if minutes is None else minutes
    points = points_for(row.activity, minutes or 0)
    row = _decide(community_id, attendance_id, status="approved", minutes=minutes, adjust_reason=reason,
                  points_awarded=points, approved_by=staff.id, approved_at=now)
    if points > 0:
        txn = ledger.award(community_id, row.volunteer.user_id, points, kind="hours", key=f"attendance:{row.id}",
                           memo=f"志愿服务：{row.activity.title}"[:200], by_user_id=staff.id)
        row.transaction_id = txn.id
    db.session.commit()
    return _with_points([row])[0]


def adjust(community_id: int, attendance_id: int, staff, minutes: int, reason: str) -> Attendance:
    """Change approved minutes: the difference in points is awarded or taken back (409 insufficient_points
    if the volunteer has spent them)."""
    row = get_in_community(Attendance, community_id, attendance_id)
    if row.status != "approved":
        raise Conflict("Only approved hours are adjusted.", "not_approved")
    _check_minutes(row.activity, minutes)
    points = points_for(row.activity, minutes)
    done = db.session.execute(update(Attendance).where(
        Attendance.id == row.id, Attendance.status == "approved", Attendance.minutes == row.minutes,
        Attendance.points_awarded == row.points_awarded)
        .values(minutes=minutes, points_awarded=points, adjust_reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict("Someone changed these hours a moment ago; look again.", "attendance_changed")
    ledger.adjust(community_id, row.volunteer.user_id, points - row.points_awarded,
                  key=f"attendance:{row.id}:adjust:{uuid.uuid4().hex}", memo=f"工时调整：{reason}"[:200],
                  by_user_id=staff.id)
    db.session.commit()
    db.session.refresh(row)
    return _with_points([row])[0]


def reject(community_id: int, attendance_id: int, staff, reason: str, now: datetime | None = None) -> Attendance:
    row = _decide(community_id, attendance_id, status="rejected", adjust_reason=reason, approved_by=staff.id,
                  approved_at=now or utcnow())
    db.session.commit()
    return _with_points([row])[0]


def history(community_id: int, user) -> list[Attendance]:
    volunteer = registry.mine(community_id, user.id)
    if volunteer is None:
        return []
    rows = db.session.scalars(select(Attendance).join(Activity, Activity.id == Attendance.activity_id)
                              .where(Attendance.volunteer_id == volunteer.id)
                              .order_by(Activity.starts_at.desc(), Attendance.id.desc()).limit(500))
    return _with_points(list(rows))
