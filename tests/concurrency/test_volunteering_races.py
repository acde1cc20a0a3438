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
from tests.concurrency.test_idempotent_races import THREADS, race
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
