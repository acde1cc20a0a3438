"""Activities and their sign-ups. The confirmed sign-ups never outnumber the places: every change of
sign-ups first locks the activity's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite writes one at a time),
and the waitlist moves up in the order people signed up. Nobody is confirmed for two activities at the same
hour: a time clash spans activities, so on PostgreSQL every change of sign-ups takes the community's
volunteering lock before the activity's (one order, no deadlock)."""
import zlib
from datetime import datetime

from sqlalchemy import func, select

from backend.accounts.services import residency_revoked
from backend.common.db import is_postgres
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.facilities.models import Facility
from backend.places.services import get_in_community
from backend.volunteering import notify, registry
from backend.volunteering.models import Activity, Attendance, Signup, Volunteer, VolunteerSkill, VolunteerTeam

LIVE = ("confirmed", "waitlisted")


def _is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


def get_activity(community_id: int, activity_id: int, user=None) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.community_id != community_id or (
            activity.status == "draft" and user is not None and not _is_staff(user, community_id)):
        raise NotFound("No such activity.")
    return activity


def lock(community_id: int, activity_id: int) -> Activity:
    if is_postgres():  # held until the transaction ends; sign-ups in one community are a few a second at most
        db.session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"volunteering:{community_id}".encode()))))
    return db.session.scalar(select(Activity).where(Activity.id == activity_id).with_for_update()
                             .execution_options(populate_existing=True))


def counts(activity_ids: list[int]) -> dict[tuple[int, str], int]:
    rows = db.session.execute(select(Signup.activity_id, Signup.status, func.count()).where(
        Signup.activity_id.in_(activity_ids)).group_by(Signup.activity_id, Signup.status))
    return {(aid, status): n for aid, status, n in rows}


def waitlist_position(signup: Signup) -> int | None:
    if signup.status != "waitlisted":
        return None
    return db.session.scalar(select(func.count()).where(
        Signup.activity_id == signup.activity_id, Signup.status == "waitlisted", Signup.seq <= signup.seq))


def present(activities: list[Activity], user) -> list[Activity]:
    ids = [a.id for a in activities]
    numbers = counts(ids)
    volunteer = registry.mine(activities[0].community_id, user.id) if activities else None
    signups, attendances = {}, {}
    if volunteer is not None:
        signups = {s.activity_id: s for s in db.session.scalars(select(Signup).where(
            Signup.activity_id.in_(ids), Signup.volunteer_id == volunteer.id))}
        attendances = {a.activity_id: a for a in db.session.scalars(select(Attendance).where(
            Attendance.activity_id.in_(ids), Attendance.volunteer_id == volunteer.id))}
    for activity in activities:
        activity.taken = numbers.get((activity.id, "confirmed"), 0)
        activity.waitlist = numbers.get((activity.id, "waitlisted"), 0)
        signup = signups.get(activity.id)
        activity.my_signup = ({"status": signup.status, "position": waitlist_position(signup)}
                              if signup and signup.status in LIVE else None)
        activity.my_attendance = attendances.get(activity.id)
    return activities


def list_activities(community_id: int, user, scope: str, now: datetime | None = None) -> list[Activity]:
    now = now or utcnow()
    stmt = select(Activity).filter_by(community_id=community_id)
    if not _is_staff(user, community_id):
        stmt = stmt.where(Activity.status != "draft")
    if scope == "upcoming":
        stmt = stmt.where(Activity.ends_at >= now).order_by(Activity.starts_at, Activity.id)
    elif scope == "past":
        stmt = stmt.where(Activity.ends_at < now).order_by(Activity.starts_at.desc(), Activity.id.desc())
    else:
        volunteer = registry.mine(community_id, user.id)
        mine = select(Signup.activity_id).where(Signup.volunteer_id == (volunteer.id if volunteer else 0),
                                                Signup.status.in_(LIVE))
        stmt = stmt.where(Activity.id.in_(mine)).order_by(Activity.starts_at.desc(), Activity.id.desc())
    return present(list(db.session.scalars(stmt.limit(200))), user)


def _check_times(fields: dict) -> None:
    starts, ends = fields["starts_at"], fields["ends_at"]
    if ends <= starts:
        raise invalid("ends_at", "Must be after the start.")
    fields["signup_deadline"] = fields.get("signup_deadline") or starts
    fields["cancel_cutoff"] = fields.get("cancel_cutoff") or starts
    for key in ("signup_deadline", "cancel_cutoff"):
        if fields[key] > starts:
            raise invalid(key, "Must not be after the start.")


def _confirmed(activity_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Signup.activity_id == activity_id,
                                                        Signup.status == "confirmed"))


def save_activity(community_id: int, user, activity_id: int | None = None, skill_ids=(), now=None,
                  **fields) -> Activity:
    now = now or utcnow()
    _check_times(fields)
    if fields.get("facility_id"):
        get_in_community(Facility, community_id, fields["facility_id"], "facility_id")
    if fields.get("team_id"):
        get_in_community(VolunteerTeam, community_id, fields["team_id"], "team_id")
    if not fields.get("facility_id") and not fields.get("address"):
        raise invalid("address", "Give a facility or an address.")
    skills = list(db.session.scalars(select(VolunteerSkill).where(
        VolunteerSkill.community_id == community_id, VolunteerSkill.id.in_(skill_ids))))
    if len(skills) != len(set(skill_ids)):
        raise invalid("skill_ids", "Not in this community.")
    if activity_id is None:
        activity = Activity(community_id=community_id, created_by=user.id, status="draft")
    else:
        get_activity(community_id, activity_id)
        activity = lock(community_id, activity_id)
        if activity.status == "cancelled":
            raise Conflict("This activity was cancelled.", "activity_cancelled")
        if fields["places"] < _confirmed(activity.id):
            raise Conflict("More volunteers have signed up than that.", "places_below_signups")
    for key, value in fields.items():
        setattr(activity, key, value)
    activity.skills = skills
    db.session.add(activity)
    db.session.flush()
    while activity.id and _confirmed(activity.id) < activity.places and _promote(activity, now):
        pass
    db.session.commit()
    return present([activity], user)[0]


def publish(community_id: int, activity_id: int, user) -> Activity:
    activity = get_activity(community_id, activity_id)
    if activity.status != "draft":
        raise Conflict("Only a draft is published.", "not_draft")
    activity.status = "open"
    db.session.commit()
    return present([activity], user)[0]


def cancel(community_id: int, activity_id: int, user, reason: str, now: datetime | None = None) -> Activity:
    now = now or utcnow()
    get_activity(community_id, activity_id)
    activity = lock(community_id, activity_id)
    if activity.status == "cancelled":
        raise Conflict("This activity was cancelled already.", "activity_cancelled")
    activity.status, activity.cancel_reason = "cancelled", reason
    users = list(db.session.scalars(select(Volunteer.user_id).join(Signup, Signup.volunteer_id == Volunteer.id)
                                    .where(Signup.activity_id == activity.id, Signup.status.in_(LIVE))))
    notify.cancelled(activity, users, now)
    db.session.commit()
    return present([activity], user)[0]


def _clash(activity: Activity, volunteer: Volunteer) -> bool:
    return db.session.scalar(select(Signup.id).join(Activity, Activity.id == Signup.activity_id).where(
        Signup.volunteer_id == volunteer.id, Signup.status == "confirmed", Activity.id != activity.id,
        Activity.status != "cancelled", Activity.starts_at < activity.ends_at,
        Activity.ends_at > activity.starts_at).limit(1)) is not None


def signup(community_id: int, activity_id: int, user, now: datetime | None = None) -> Signup:
    now = now or utcnow()
    volunteer = registry.approved(community_id, user.id)
    get_activity(community_id, activity_id, user)
    activity = lock(community_id, activity_id)
    if activity.status != "open" or now > activity.signup_deadline:
        raise Conflict("Sign-up for this activity is closed.", "signup_closed")
    existing = db.session.scalar(select(Signup).filter_by(activity_id=activity.id, volunteer_id=volunteer.id))
    if existing is not None and existing.status in LIVE:
        raise Conflict("You have signed up already.", "already_signed_up")
    if {s.id for s in activity.skills} - {s.id for s in volunteer.skills}:
        raise Conflict("This activity needs a skill you have not listed.", "missing_skills")
    if _clash(activity, volunteer):
        raise Conflict("You have another activity at that time.", "time_clash")
    seq = (db.session.scalar(select(func.max(Signup.seq)).filter_by(activity_id=activity.id)) or 0) + 1
    status = "confirmed" if _confirmed(activity.id) < activity.places else "waitlisted"
    row = existing or Signup(community_id=community_id, activity_id=activity.id, volunteer_id=volunteer.id)
    row.status, row.seq, row.created_at, row.reminded_at = status, seq, now, None
    db.session.add(row)
    db.session.commit()
    row.position = waitlist_position(row)
    return row


def _promote(activity: Activity, now: datetime) -> Signup | None:
    """Confirm the first on the waitlist who is still a volunteer and has no confirmed activity at that time;
    anyone passed over keeps their place on the waitlist."""
    waiting = list(db.session.scalars(select(Signup).join(Volunteer, Volunteer.id == Signup.volunteer_id).where(
        Signup.activity_id == activity.id, Signup.status == "waitlisted", Volunteer.status == "approved")
        .order_by(Signup.seq)))
    for row in waiting:
        if not _clash(activity, row.volunteer):
            row.status = "confirmed"
            db.session.flush()
            notify.promoted(activity, row.volunteer.user_id, now)
            return row
    return None


def cancel_signup(community_id: int, activity_id: int, user, now: datetime | None = None) -> Signup:
    now = now or utcnow()
    volunteer = registry.mine(community_id, user.id)
    get_activity(community_id, activity_id, user)
    activity = lock(community_id, activity_id)
    row = volunteer and db.session.scalar(select(Signup).filter_by(activity_id=activity.id,
                                                                   volunteer_id=volunteer.id))
    if row is None or row.status not in LIVE:
        raise Conflict("You have not signed up for this activity.", "not_signed_up")
    if now > activity.cancel_cutoff:
        raise Conflict("It is too late to cancel; please call the staff.", "too_late_to_cancel")
    was = row.status
    row.status = "cancelled"
    db.session.flush()
    if was == "confirmed" and activity.status == "open":
        _promote(activity, now)
    db.session.commit()
    row.position = None
    return row


def sheet(community_id: int, activity_id: int) -> list[dict]:
    """Every sign-up (and anyone recorded without one) with their attendance, in sign-up order."""
    activity = get_activity(community_id, activity_id)
    signups = {s.volunteer_id: s for s in db.session.scalars(select(Signup).filter_by(activity_id=activity.id))}
    attendances = {a.volunteer_id: a for a in db.session.scalars(select(Attendance).filter_by(
        activity_id=activity.id))}
    rows = []
    for volunteer_id in sorted(set(signups) | set(attendances),
                               key=lambda v: (signups[v].seq if v in signups else 10**9, v)):
        signup_row, attendance = signups.get(volunteer_id), attendances.get(volunteer_id)
        volunteer = (signup_row or attendance).volunteer
        rows.append({"volunteer_id": volunteer_id, "user": volunteer.user,
                     "signup_status": signup_row.status if signup_row else None,
                     "position": waitlist_position(signup_row) if signup_row else None,
                     "attendance": attendance})
    return rows


def _stand_down(volunteer: Volunteer, now: datetime) -> None:
    """End volunteering: the sign-ups for activities not yet started are cancelled and their waitlists move
    up. The caller commits."""
    volunteer.status = "withdrawn"
    db.session.flush()
    activity_ids = list(db.session.scalars(select(Signup.activity_id).join(Activity, Activity.id == Signup.activity_id)
                                           .where(Signup.volunteer_id == volunteer.id, Signup.status.in_(LIVE),
                                                  Activity.starts_at > now).order_by(Signup.activity_id)))
    for activity_id in activity_ids:
        activity = lock(volunteer.community_id, activity_id)
        row = db.session.scalar(select(Signup).filter_by(activity_id=activity_id, volunteer_id=volunteer.id)
                                .execution_options(populate_existing=True))
        was, row.status = row.status, "cancelled"
        db.session.flush()
        if was == "confirmed" and activity.status == "open":
            _promote(activity, now)


def withdraw(community_id: int, user, now: datetime | None = None) -> Volunteer:
    volunteer = registry.mine(community_id, user.id)
    if volunteer is None or volunteer.status not in ("pending", "approved"):
        raise NotFound("You are not registered as a volunteer.")
    _stand_down(volunteer, now or utcnow())
    db.session.commit()
    return volunteer


@residency_revoked.connect
def stand_down_revoked(_residency, community_id: int, user_id: int) -> None:
    """A home taken away: without another verified home here, the person stops volunteering."""
    volunteer = registry.mine(community_id, user_id)
    if volunteer is None or volunteer.status not in ("pending", "approved") \
            or registry.is_verified(community_id, user_id):
        return
    _stand_down(volunteer, utcnow())
