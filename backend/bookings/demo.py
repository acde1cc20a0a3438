"""Demo bookings for 幸福里社区: the activity room in 2-hour slots, a monthly haircut day for seniors, a legal
advice hour that staff approve, and a few bookings of the demo resident 赵大妈."""
from datetime import timedelta

from sqlalchemy import select

from backend.accounts.models import User
from backend.bookings import booking, slots
from backend.bookings.models import Resource
from backend.common.models import utcnow
from backend.errors import DomainError
from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.facilities.models import Facility

RESIDENT_PHONE = "13900000001"
RESOURCES = [
    {"kind": "room", "name": "多功能活动室", "facility": "活动室",
     "description": "可容纳 30 人，有投影和音响，适合生日会、兴趣小组、业主委员会会议。",
     "schedule": {day: [["09:00", "21:00"]] for day in DAYS}, "slot_minutes": 120, "seats": 1,
     "week_quota": 2, "month_quota": 4},
    {"kind": "service", "name": "理发日", "facility": "党群服务中心",
     "description": "每月第一个周三上午，爱心理发师为 60 岁以上老人免费理发，每户每月一次。",
     "schedule": {"wed": [["09:00", "11:30"]]}, "slot_minutes": 30, "seats": 3, "month_quota": 1,
     "eligibility": "seniors", "min_notice_minutes": 120},
    {"kind": "service", "name": "法律咨询", "facility": "党群服务中心",
     "description": "律师每周六上午坐班，一对一咨询一小时；预约需工作人员审核。",
     "schedule": {"sat": [["09:00", "12:00"]]}, "slot_minutes": 60, "seats": 1, "week_quota": 1,
     "needs_approval": True, "cancel_cutoff_minutes": 24 * 60},
]


def _facility(community_id: int, part: str) -> Facility | None:
    return db.session.scalar(select(Facility).where(Facility.community_id == community_id,
                                                    Facility.name.contains(part)).order_by(Facility.id).limit(1))


def _first_slot(resource: Resource, from_days: int):
    today = slots.local_day(resource.community_id, utcnow())
    for n in range(from_days, resource.advance_days + 1):
        times = slots.slot_times(resource, today + timedelta(days=n))
        if times:
            return times[len(times) // 2][0]
    return None


def seed_bookings(community, staff: User) -> bool:
    """Idempotent: does nothing if the community already has bookable resources."""
    if db.session.scalar(select(Resource.id).filter_by(community_id=community.id).limit(1)):
        return False
    made = []
    for spec in RESOURCES:
        spec = dict(spec)
        facility, weekly = _facility(community.id, spec.pop("facility")), spec.pop("schedule")
        resource = Resource(community_id=community.id, status="open", facility_id=facility and facility.id,
                            schedule={day: weekly.get(day, []) for day in DAYS}, **spec)
        db.session.add(resource)
        made.append(resource)
    db.session.commit()
    resident = db.session.scalar(select(User).filter_by(phone=RESIDENT_PHONE))
    if resident is None:
        return True
    if resident.birth_year is None:
        resident.birth_year = 1956
        db.session.commit()
    for resource, from_days in zip(made, (2, 1, 1), strict=True):
        starts_at = _first_slot(resource, from_days)
        if starts_at is None:
            continue
        try:
            booking.book(community.id, resource.id, resident, starts_at, note="演示预约")
        except DomainError:
            db.session.rollback()
    return True
