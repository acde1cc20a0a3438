"""Approved hours: per person and period, the certificate of them (a PDF anyone can verify by its code),
the yearly board, and the CSV exports."""
import csv
import io
import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from backend.accounts.models import User
from backend.common.csv import safe_row
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound
from backend.extensions import db
from backend.places.services import get_community
from backend.volunteering import activities
from backend.volunteering.models import Activity, Attendance, Certificate, Signup, Volunteer

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # base32 without the look-alikes (I, O, 0, 1)
CODE_LENGTH = 12
BOARD_SIZE = 50


def bounds(community_id: int, start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments of local midnight at `start` and the midnight after `end`."""
    tz = ZoneInfo(get_community(community_id).timezone)
    return (datetime.combine(start, time(), tz).astimezone(UTC),
            datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC))


def year_bounds(community_id: int, year: int) -> tuple[datetime, datetime]:
    return bounds(community_id, date(year, 1, 1), date(year, 12, 31))


def this_year(community_id: int, now: datetime | None = None) -> int:
    return (now or utcnow()).astimezone(ZoneInfo(get_community(community_id).timezone)).year


def _approved(community_id: int, start: datetime, end: datetime):
    """(volunteer_id, minutes, activities, points) of approved attendance in [start, end)."""
    return (select(Attendance.volunteer_id, func.sum(Attendance.minutes), func.count(Attendance.id),
                   func.sum(Attendance.points_awarded))
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(Attendance.community_id == community_id, Attendance.status == "approved",
                   Activity.starts_at >= start, Activity.starts_at < end)
            .group_by(Attendance.volunteer_id))


def totals(community_id: int, start: datetime, end: datetime, volunteer_ids=None) -> dict[int, tuple]:
    stmt = _approved(community_id, start, end)
    if volunteer_ids is not None:
        stmt = stmt.where(Attendance.volunteer_id.in_(list(volunteer_ids)))
    return {vid: (minutes or 0, n, points or 0) for vid, minutes, n, points in db.session.execute(stmt)}


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def year_minutes(community_id: int, volunteer_id: int | None, now: datetime | None = None) -> int:
    if volunteer_id is None:
        return 0
    start, end = year_bounds(community_id, this_year(community_id, now))
    return totals(community_id, start, end, [volunteer_id]).get(volunteer_id, (0, 0, 0))[0]


def mask_name(name: str) -> str:
    """张*明, 李*: the first and the last character, a star for what is between."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else phone


def issue(community_id: int, user, start: date, end: date, now: datetime | None = None) -> Certificate:
    now = now or utcnow()
    volunteer = db.session.scalar(select(Volunteer).filter_by(community_id=community_id, user_id=user.id))
    lo, hi = bounds(community_id, start, end)
    minutes, count, _ = totals(community_id, lo, hi, [volunteer.id]).get(volunteer.id, (0, 0, 0)) \
        if volunteer else (0, 0, 0)
    if minutes <= 0:
        raise Conflict("There are no approved hours in this period.", "no_hours")
    cert = Certificate(community_id=community_id, code="".join(secrets.choice(CODE_ALPHABET)
                                                                for _ in range(CODE_LENGTH)),
                       user_id=user.id, name=user.name, phone=user.phone, from_date=start, to_date=end,
                       minutes=minutes, activities=count, issued_at=now)
    db.session.add(cert)
    db.session.commit()
    return cert


def card(cert: Certificate) -> dict:
    return {"code": cert.code, "hours": hours(cert.minutes), "from": cert.from_date, "to": cert.to_date,
            "activities": cert.activities, "issued_at": cert.issued_at,
            "pdf_url": f"/api/v1/communities/{cert.community_id}/volunteering/certificates/{cert.code}.pdf"}


def own_certificate(community_id: int, code: str, user) -> Certificate:
    cert = db.session.scalar(select(Certificate).filter_by(community_id=community_id, code=code.upper()))
    if cert is None or (cert.user_id != user.id and "staff" not in user.roles_in(community_id)):
        raise NotFound("No such certificate.")
    return cert


def verify(code: str) -> dict:
    cert = db.session.scalar(select(Certificate).filter_by(code=code.upper())) if len(code) <= 20 else None
    if cert is None:
        raise NotFound("No such certificate.")
    return {"name": mask_name(cert.name), "community": get_community(cert.community_id).name,
            "from": cert.from_date, "to": cert.to_date, "hours": hours(cert.minutes),
            "activities": cert.activities, "issued_at": cert.issued_at, "valid": True}


def board(community_id: int, year: int) -> list[dict]:
    start, end = year_bounds(community_id, year)
    consenting = select(Volunteer.id).filter_by(community_id=community_id, status="approved", show_on_board=True)
    rows = db.session.execute(_approved(community_id, start, end).where(Attendance.volunteer_id.in_(consenting))
                              .order_by(func.sum(Attendance.minutes).desc(), Attendance.volunteer_id)
                              .limit(BOARD_SIZE)).all()
    names = dict(db.session.execute(select(Volunteer.id, User.name).join(User, User.id == Volunteer.user_id)
                                    .where(Volunteer.id.in_([r[0] for r in rows]))).all())
    return [{"rank": n, "name": names[vid], "hours": hours(minutes or 0), "activities": count}
            for n, (vid, minutes, count, _) in enumerate(rows, 1)]


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(safe_row(row) for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel on Chinese Windows then reads UTF-8


def hours_csv(community_id: int, year: int) -> bytes:
    start, end = year_bounds(community_id, year)
    sums = totals(community_id, start, end)
    people = db.session.execute(select(Volunteer.id, User.name, User.phone).join(User, User.id == Volunteer.user_id)
                                .where(Volunteer.community_id == community_id,
                                       (Volunteer.status == "approved") | Volunteer.id.in_(list(sums)))
                                .order_by(User.name, Volunteer.id)).all()
    rows = [["姓名", "手机号", "工时(小时)", "活动次数", "获得积分"]]
    for vid, name, phone in people:
        minutes, count, points = sums.get(vid, (0, 0, 0))
        rows.append([name, phone, hours(minutes), count, points])
    return _csv(rows)


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


SIGNUP_LABELS = {"confirmed": "已报名", "waitlisted": "候补", "cancelled": "已取消", None: "未报名"}
ATTENDANCE_LABELS = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}


def sheet_csv(community_id: int, activity_id: int) -> bytes:
    tz = ZoneInfo(get_community(community_id).timezone)
    rows = [["姓名", "手机号", "报名状态", "签到", "签退", "分钟", "审核"]]
    for row in activities.sheet(community_id, activity_id):
        a = row["attendance"]
        rows.append([row["user"].name, row["user"].phone, SIGNUP_LABELS[row["signup_status"]],
                     _local(a and a.checked_in_at, tz), _local(a and a.checked_out_at, tz),
                     a.minutes if a and a.minutes is not None else "",
                     ATTENDANCE_LABELS[a.status] if a else ""])
    return _csv(rows)


def signed_up_users(activity_id: int) -> list[int]:
    return list(db.session.scalars(select(Volunteer.user_id).join(Signup, Signup.volunteer_id == Volunteer.id)
                                   .where(Signup.activity_id == activity_id, Signup.status == "confirmed")))
