"""Volunteers: registering (verified residents only), staff's decision, skills and teams, the settings."""
from sqlalchemy import delete, func, or_, select

from backend.accounts.models import Residency, User
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.errors import Conflict, Forbidden, NotFound, invalid
from backend.extensions import db
from backend.places.models import Dwelling
from backend.places.services import get_in_community
from backend.volunteering.models import (
    Volunteer,
    VolunteerSettings,
    VolunteerSkill,
    VolunteerTeam,
    activity_skill,
    volunteer_skill,
    volunteer_team,
)

DEFAULTS = {"rounding_minutes": 30, "rounding": "nearest", "checkin_early_minutes": 60, "reminders": True}


def is_verified(community_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Residency.id).filter_by(
        community_id=community_id, user_id=user_id, status="verified").limit(1)) is not None


def mine(community_id: int, user_id: int) -> Volunteer | None:
    return db.session.scalar(select(Volunteer).filter_by(community_id=community_id, user_id=user_id))


def approved(community_id: int, user_id: int) -> Volunteer:
    volunteer = mine(community_id, user_id)
    if volunteer is None or volunteer.status != "approved":
        raise Forbidden("Only approved volunteers may do this.", "not_volunteer")
    if not is_verified(community_id, user_id):
        raise Forbidden("Only verified residents of this community may do this.", "not_verified")
    return volunteer


def _rows(model, community_id: int, ids: list[int], field: str) -> list:
    rows = list(db.session.scalars(select(model).where(model.community_id == community_id, model.id.in_(ids))))
    if len(rows) != len(set(ids)):
        raise invalid(field, "Not in this community.")
    return rows


def _fill(volunteer: Volunteer, community_id: int, skill_ids, team_ids, **fields) -> None:
    volunteer.skills = _rows(VolunteerSkill, community_id, skill_ids, "skill_ids")
    volunteer.teams = _rows(VolunteerTeam, community_id, team_ids, "team_ids")
    for key, value in fields.items():
        setattr(volunteer, key, value)


def register(community_id: int, user, **fields) -> Volunteer:
    if not is_verified(community_id, user.id):
        raise Forbidden("Only verified residents of this community may register as volunteers.", "not_verified")
    volunteer = mine(community_id, user.id)
    if volunteer is not None and volunteer.status in ("pending", "approved"):
        raise Conflict("You have registered already.", "already_registered")
    volunteer = volunteer or Volunteer(community_id=community_id, user_id=user.id)
    _fill(volunteer, community_id, **fields)
    volunteer.status, volunteer.reject_reason, volunteer.decided_by, volunteer.decided_at = "pending", "", None, None
    volunteer.created_at = utcnow()
    db.session.add(volunteer)
    db.session.commit()
    return volunteer


def edit(community_id: int, user, **fields) -> Volunteer:
    volunteer = mine(community_id, user.id)
    if volunteer is None or volunteer.status not in ("pending", "approved"):
        raise NotFound("You are not registered as a volunteer.")
    _fill(volunteer, community_id, **fields)
    db.session.commit()
    return volunteer


def decide(community_id: int, volunteer_id: int, staff, status: str, reason: str = "") -> Volunteer:
    volunteer = get_in_community(Volunteer, community_id, volunteer_id)
    if volunteer.status != "pending":
        raise Conflict("This registration has been decided.", "already_decided")
    volunteer.status, volunteer.reject_reason = status, reason
    volunteer.decided_by, volunteer.decided_at = staff.id, utcnow()
    db.session.commit()
    return volunteer


def homes(community_id: int, user_ids) -> dict[int, str]:
    rows = db.session.execute(
        select(Residency.user_id, Dwelling.label).join(Dwelling, Dwelling.id == Residency.dwelling_id)
        .where(Residency.community_id == community_id, Residency.status == "verified",
               Residency.user_id.in_(set(user_ids))).order_by(Residency.id.desc()))
    return dict(rows.all())


def registrations(community_id: int, status: str | None = None, page: int = 1, per_page: int = 50) -> dict:
    stmt = select(Volunteer).filter_by(community_id=community_id)
    if status:
        stmt = stmt.filter_by(status=status)
    result = paginate(stmt.order_by(Volunteer.created_at, Volunteer.id), page, per_page)
    labels = homes(community_id, [v.user_id for v in result["items"]])
    for volunteer in result["items"]:
        volunteer.dwelling = labels.get(volunteer.user_id, "")
    return result


def volunteers(community_id: int, q: str | None = None, skill_id: int | None = None, team_id: int | None = None,
               page: int = 1, per_page: int = 50):
    stmt = (select(Volunteer).join(User, User.id == Volunteer.user_id)
            .where(Volunteer.community_id == community_id, Volunteer.status == "approved"))
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(User.name.like(like), User.phone.like(like)))
    if skill_id:
        stmt = stmt.where(Volunteer.id.in_(select(volunteer_skill.c.volunteer_id).filter_by(skill_id=skill_id)))
    if team_id:
        stmt = stmt.where(Volunteer.id.in_(select(volunteer_team.c.volunteer_id).filter_by(team_id=team_id)))
    return paginate(stmt.order_by(User.name, Volunteer.id), page, per_page)


# Skills and teams ------------------------------------------------------------------------------------------

def list_rows(model, community_id: int) -> list:
    order = (model.position, model.id) if model is VolunteerSkill else (model.id,)
    return list(db.session.scalars(select(model).filter_by(community_id=community_id).order_by(*order)))


def save_row(model, community_id: int, row_id: int | None = None, **fields):
    row = get_in_community(model, community_id, row_id) if row_id else model(community_id=community_id)
    clash = select(model.id).where(model.community_id == community_id, model.name == fields["name"])
    if db.session.scalar(clash.where(model.id != row.id) if row.id else clash) is not None:
        raise Conflict("That name is taken.", "name_taken")
    if model is VolunteerSkill and row.id is None and "position" not in fields:
        fields["position"] = (db.session.scalar(select(func.max(model.position)).filter_by(
            community_id=community_id)) or 0) + 1
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.commit()
    return row


def delete_row(model, community_id: int, row_id: int) -> None:
    row = get_in_community(model, community_id, row_id)
    link = volunteer_skill if model is VolunteerSkill else volunteer_team
    column = link.c.skill_id if model is VolunteerSkill else link.c.team_id
    db.session.execute(delete(link).where(column == row.id))
    if model is VolunteerSkill:
        db.session.execute(delete(activity_skill).where(activity_skill.c.skill_id == row.id))
    db.session.delete(row)
    db.session.commit()


# Settings --------------------------------------------------------------------------------------------------

def settings(community_id: int) -> dict:
    row = db.session.get(VolunteerSettings, community_id)
    return {key: getattr(row, key) for key in DEFAULTS} if row else dict(DEFAULTS)


def save_settings(community_id: int, **fields) -> dict:
    row = db.session.get(VolunteerSettings, community_id) or VolunteerSettings(community_id=community_id)
    for key, value in {**settings(community_id), **fields}.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.commit()
    return settings(community_id)
