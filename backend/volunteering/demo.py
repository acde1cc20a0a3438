"""Demo volunteering for 幸福里社区: skills, teams, approved volunteers (the demo resident 赵大妈 among them),
a few registrations waiting, upcoming activities at the community's facilities and past ones with approved hours."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.accounts.models import Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.facilities.models import Facility
from backend.points import ledger
from backend.volunteering.attendance import points_for
from backend.volunteering.models import Activity, Attendance, Signup, Volunteer, VolunteerSkill, VolunteerTeam

SKILLS = ["助老", "医疗护理", "维修", "文艺", "外语", "驾驶"]
TEAMS = [("助老探访", "每周探访独居、高龄老人"), ("垃圾分类督导", "早晚投放时段在分类点值守引导"),
         ("平安巡逻", "夜间小区巡逻，留意消防通道和安全隐患")]
APPROVED, PENDING = 20, 3
# title, days from today, start hour, hours, places, points mode, points, skill index or None, team index
UPCOMING = [("陪伴独居老人聊天", 2, 9, 2, 6, "per_hour", 10, 0, 0),
            ("垃圾分类早高峰督导", 3, 7, 2, 4, "fixed", 15, None, 1),
            ("义诊协助：量血压", 5, 9, 3, 3, "per_hour", 12, 1, None),
            ("小家电义务维修", 6, 14, 3, 3, "per_hour", 10, 2, None),
            ("周末夜间平安巡逻", 8, 19, 2, 5, "fixed", 20, None, 2),
            ("重阳文艺汇演彩排", 12, 15, 2, 8, "per_hour", 8, 3, None)]
PAST = [("社区大扫除", -40, 9, 3, 10, "per_hour", 10), ("敬老院探访", -32, 14, 2, 6, "per_hour", 10),
        ("垃圾分类宣传日", -25, 9, 4, 8, "fixed", 30), ("消防安全巡查", -18, 19, 2, 5, "per_hour", 10),
        ("助老送餐", -11, 11, 2, 6, "per_hour", 10), ("儿童英语角", -4, 15, 2, 4, "fixed", 20)]


def _at(tz: ZoneInfo, days: int, hour: int) -> datetime:
    day = utcnow().astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tz).astimezone(ZoneInfo("UTC"))


def _residents(community_id: int) -> list[User]:
    verified = select(Residency.user_id).filter_by(community_id=community_id, status="verified")
    return list(db.session.scalars(select(User).where(User.id.in_(verified)).order_by(User.id)))


def _activity(community, staff, title, starts, hours, places, mode, points, facility, **extra) -> Activity:
    activity = Activity(community_id=community.id, title=title, description=f"{title}，欢迎志愿者报名。",
                        facility_id=facility.id if facility else None, address="" if facility else "幸福里社区",
                        starts_at=starts, ends_at=starts + timedelta(hours=hours), places=places,
                        points_mode=mode, points=points, signup_deadline=starts - timedelta(hours=2),
                        cancel_cutoff=starts - timedelta(hours=12), status="open", created_by=staff.id, **extra)
    db.session.add(activity)
    db.session.flush()
    return activity


def seed_volunteering(community, staff: User) -> bool:
    """Idempotent: does nothing if the community already has volunteer skills."""
    if db.session.scalar(select(VolunteerSkill.id).filter_by(community_id=community.id).limit(1)):
        return False
    tz = ZoneInfo(community.timezone)
    skills = [VolunteerSkill(community_id=community.id, name=n, position=i) for i, n in enumerate(SKILLS, 1)]
    teams = [VolunteerTeam(community_id=community.id, name=n, description=d) for n, d in TEAMS]
    db.session.add_all(skills + teams)
    people = _residents(community.id)[:APPROVED + PENDING]
    volunteers = []
    for n, user in enumerate(people):
        volunteer = Volunteer(community_id=community.id, user_id=user.id,
                              status="approved" if n < APPROVED else "pending",
                              skills=[skills[n % 6], skills[(n + 3) % 6]] if n else skills[:2],
                              teams=[teams[n % len(teams)]], availability=["weekday_morning", "weekend_morning"],
                              show_on_board=n % 4 != 3, decided_by=staff.id if n < APPROVED else None,
                              decided_at=utcnow() - timedelta(days=60) if n < APPROVED else None)
        volunteers.append(volunteer)
    db.session.add_all(volunteers)
    db.session.flush()
    approved = volunteers[:APPROVED]
    facilities = list(db.session.scalars(select(Facility).filter_by(community_id=community.id).order_by(Facility.id)))
    for k, (title, days, hour, hours, places, mode, points, skill, team) in enumerate(UPCOMING):
        facility = facilities[k % len(facilities)] if facilities else None
        activity = _activity(community, staff, title, _at(tz, days, hour), hours, places, mode, points, facility,
                             team_id=teams[team].id if team is not None else None)
        activity.skills = [skills[skill]] if skill is not None else []
        fits = [v for v in approved if skill is None or skills[skill] in v.skills][:max(1, places - 2)]
        for seq, volunteer in enumerate(fits, 1):
            db.session.add(Signup(community_id=community.id, activity_id=activity.id, volunteer_id=volunteer.id,
                                  status="confirmed", seq=seq))
    for k, (title, days, hour, hours, places, mode, points) in enumerate(PAST):
        facility = facilities[k % len(facilities)] if facilities else None
        activity = _activity(community, staff, title, _at(tz, days, hour), hours, places, mode, points, facility)
        for seq, volunteer in enumerate(approved[k:k + places - 1], 1):
            db.session.add(Signup(community_id=community.id, activity_id=activity.id, volunteer_id=volunteer.id,
                                  status="confirmed", seq=seq))
            minutes = hours * 60 - (30 if seq % 3 == 0 else 0)
            row = Attendance(community_id=community.id, activity_id=activity.id, volunteer_id=volunteer.id,
                             checked_in_at=activity.starts_at, checked_out_at=activity.starts_at + timedelta(
                                 minutes=minutes), minutes=minutes, status="approved", approved_by=staff.id,
                             approved_at=activity.ends_at + timedelta(days=1),
                             points_awarded=points_for(activity, minutes))
            db.session.add(row)
            db.session.flush()
            txn = ledger.award(community.id, volunteer.user_id, row.points_awarded, kind="hours",
                               key=f"attendance:{row.id}", memo=f"志愿服务：{title}", by_user_id=staff.id)
            row.transaction_id = txn.id
    db.session.commit()
    return True
