"""Test data for volunteering: volunteers, skills, activities written as rows, and helpers to act through the API."""
from datetime import timedelta

from backend.common.models import utcnow
from backend.extensions import db
from backend.volunteering.models import Activity, Attendance, Volunteer, VolunteerSkill, VolunteerTeam
from tests import factories


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/volunteering"


def create_skill(community, name: str = "助老", position: int = 1) -> VolunteerSkill:
    skill = VolunteerSkill(community_id=community.id, name=name, position=position)
    db.session.add(skill)
    db.session.commit()
    return skill


def create_team(community, name: str = "助老探访") -> VolunteerTeam:
    team = VolunteerTeam(community_id=community.id, name=name, description="")
    db.session.add(team)
    db.session.commit()
    return team


def create_volunteer(community, user=None, status: str = "approved", skills=(), show_on_board: bool = False,
                     name: str = "测试用户") -> Volunteer:
    user = user or factories.create_resident(community, name=name)
    volunteer = Volunteer(community_id=community.id, user_id=user.id, status=status, availability=[],
                          show_on_board=show_on_board, skills=list(skills))
    db.session.add(volunteer)
    db.session.commit()
    return volunteer


def create_activity(community, status: str = "open", places: int = 5, starts_in=timedelta(days=2),
                    hours: float = 2, skills=(), points_mode: str = "per_hour", points: int = 10,
                    **fields) -> Activity:
    starts = utcnow().replace(microsecond=0) + starts_in
    values = {"title": "陪伴独居老人", "address": "幸福里3栋", "starts_at": starts,
              "ends_at": starts + timedelta(hours=hours), "signup_deadline": starts, "cancel_cutoff": starts,
              **fields}
    activity = Activity(community_id=community.id, status=status, places=places, points_mode=points_mode,
                        points=points, skills=list(skills), **values)
    db.session.add(activity)
    db.session.commit()
    return activity


def create_attendance(activity, volunteer, minutes: int = 120, status: str = "pending") -> Attendance:
    start = activity.starts_at
    row = Attendance(community_id=activity.community_id, activity_id=activity.id, volunteer_id=volunteer.id,
                     checked_in_at=start, checked_out_at=start + timedelta(minutes=minutes), minutes=minutes,
                     status=status)
    db.session.add(row)
    db.session.commit()
    return row


def client_of(make_client, user):
    return factories.logged_in(make_client(), user)


def volunteer_client(make_client, community, **fields):
    """A logged-in client of a new approved volunteer, and the volunteer."""
    volunteer = create_volunteer(community, **fields)
    return client_of(make_client, volunteer.user), volunteer


def sign_up(client, community, activity):
    return client.post(f"{base(community)}/activities/{activity.id}/signup")
