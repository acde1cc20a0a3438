"""Sign-ups and approvals at the same moment, against the real database: never more confirmed than places,
a waitlist without gaps or doubles, and hours awarded once however many staff press approve."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.points import ledger
from backend.points.models import PointTransaction
from backend.volunteering.models import Attendance, Signup
from tests import factories
from tests.concurrency.test_idempotent_races import ROUNDS, THREADS, race
from tests.volunteering_factories import base, create_activity, create_attendance, create_volunteer

PEOPLE = 200
PLACES = 10


def test_two_hundred_sign_ups_for_ten_places(make_client, community):
    activity = create_activity(community, places=PLACES)
    clients = [factories.logged_in(make_client(), create_volunteer(community).user) for _ in range(PEOPLE)]
    path = f"{base(community)}/activities/{activity.id}/signup"
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(PEOPLE)

    def go(client):
        barrier.wait()
        return client.post(path)

    with ThreadPoolExecutor(PEOPLE) as pool:
        answers = list(pool.map(go, clients))
    assert [r.status_code for r in answers] == [201] * PEOPLE
    db.session.expire_all()
    rows = list(db.session.scalars(select(Signup).filter_by(activity_id=activity.id).order_by(Signup.seq)))
    assert [r.seq for r in rows] == list(range(1, PEOPLE + 1))
    assert [r.status for r in rows] == ["confirmed"] * PLACES + ["waitlisted"] * (PEOPLE - PLACES)
    positions = sorted(r.json["position"] for r in answers if r.json["status"] == "waitlisted")
    assert positions == list(range(1, PEOPLE - PLACES + 1))
    assert sum(r.json["status"] == "confirmed" for r in answers) == PLACES


def test_confirmed_cancelling_together_promote_the_waitlist_in_order(make_client, community):
    activity = create_activity(community, places=THREADS)
    volunteers = [create_volunteer(community) for _ in range(2 * THREADS)]
    for n, volunteer in enumerate(volunteers):
        db.session.add(Signup(community_id=community.id, activity_id=activity.id, volunteer_id=volunteer.id,
                              status="confirmed" if n < THREADS else "waitlisted", seq=n + 1))
    clients = [factories.logged_in(make_client(), v.user) for v in volunteers[:THREADS]]
    path = f"{base(community)}/activities/{activity.id}/signup/cancel"
    db.session.commit()
    barrier = threading.Barrier(THREADS)

    def go(client):
        barrier.wait()
        return client.post(path).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        assert list(pool.map(go, clients)) == [200] * THREADS
    db.session.expire_all()
    statuses = [s.status for s in db.session.scalars(select(Signup).filter_by(activity_id=activity.id)
                                                    .order_by(Signup.seq))]
    assert statuses == ["cancelled"] * THREADS + ["confirmed"] * THREADS


def test_staff_approving_the_same_hours_at_once_award_once(make_client, community):
    activity = create_activity(community, starts_in=timedelta(hours=-3))
    staff = [factories.logged_in(make_client(), factories.create_user(community, role="staff"))
             for _ in range(THREADS)]
    for _ in range(3):
        volunteer = create_volunteer(community)
        row = create_attendance(activity, volunteer, minutes=120)
        statuses = race(staff, f"{base(community)}/attendance/{row.id}/approve", {})
        assert sorted(statuses) == [200] + [409] * (THREADS - 1)
        db.session.expire_all()
        assert db.session.get(Attendance, row.id).status == "approved"
        assert ledger.balance(community.id, volunteer.user_id) == 20
    assert db.session.scalar(select(func.count()).select_from(PointTransaction)) == 3
    assert ledger.check(community.id) == []



def _at_once(calls: list[tuple]) -> list:
    """Each (client, path) posted at the same instant (a barrier lines them up); the answers in order."""
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(len(calls))

    def post(call):
        client, path = call
        barrier.wait()
        return client.post(path)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(post, calls))


def test_one_volunteer_signing_up_for_clashing_activities_at_once_is_confirmed_for_one(make_client, community):
    """The time clash spans activities, whose locks are their own: two sign-ups of one person for two activities
    at the same hour, at the same instant, must not both confirm (nor a promotion beside a sign-up)."""
    for _ in range(ROUNDS):
        volunteer = create_volunteer(community)
        clashing = [create_activity(community, places=1) for _ in range(THREADS)]
        answers = _at_once([(factories.logged_in(make_client(), volunteer.user),
                             f"{base(community)}/activities/{activity.id}/signup") for activity in clashing])
        assert sorted(r.status_code for r in answers) == [201] + [409] * (THREADS - 1)
        assert {r.json["code"] for r in answers if r.status_code == 409} == {"time_clash"}
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(Signup).filter_by(
            volunteer_id=volunteer.id, status="confirmed")) == 1

    # Waitlisted for a full activity whose one confirmed volunteer cancels, while signing up for another at that
    # hour: the promotion and the sign-up do not both confirm.
    for _ in range(ROUNDS):
        full, other = create_activity(community, places=1), create_activity(community, places=1)
        leaving, waiting = create_volunteer(community), create_volunteer(community)
        db.session.add_all([Signup(community_id=community.id, activity_id=full.id, volunteer_id=leaving.id,
                                   status="confirmed", seq=1),
                            Signup(community_id=community.id, activity_id=full.id, volunteer_id=waiting.id,
                                   status="waitlisted", seq=2)])
        answers = _at_once([
            (factories.logged_in(make_client(), leaving.user), f"{base(community)}/activities/{full.id}/signup/cancel"),
            (factories.logged_in(make_client(), waiting.user), f"{base(community)}/activities/{other.id}/signup")])
        assert answers[0].status_code == 200
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(Signup).filter_by(
            volunteer_id=waiting.id, status="confirmed")) == 1
