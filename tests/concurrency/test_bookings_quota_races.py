"""Bookings at the same moment, against the real database: a household's quota holds when it books many slots
at once, and a slot's seats are never overbooked, the rest waitlisted in distinct places."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from backend.bookings.models import Booking, Slot
from backend.extensions import db
from tests import factories
from tests.bookings_factories import base, create_resource, start


def _all_at_once(calls: list) -> list:
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(len(calls))

    def go(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(go, calls))


def test_one_household_booking_twenty_slots_at_once_gets_its_week_quota(make_client, community, resident):
    resource = create_resource(community, week_quota=2, slot_minutes=30, advance_days=14)
    times = [start(resource, 7, i) for i in range(20)]  # all on one day, so one week
    clients = [factories.logged_in(make_client(), resident) for _ in times]
    path = f"{base(community)}/resources/{resource.id}/book"
    answers = _all_at_once([lambda c=c, t=t: c.post(path, json={"starts_at": t.isoformat()})
                            for c, t in zip(clients, times, strict=True)])
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 2 + [409] * 18
    assert {r.json["code"] for r in answers if r.status_code == 409} == {"week_quota_exceeded"}
    db.session.expire_all()
    assert len(list(db.session.scalars(select(Booking).filter_by(status="confirmed")))) == 2


def test_thirty_households_race_for_five_seats(make_client, community):
    resource = create_resource(community, seats=5)
    clients = [factories.logged_in(make_client(), factories.create_resident(community)) for _ in range(30)]
    path = f"{base(community)}/resources/{resource.id}/book"
    body = {"starts_at": start(resource).isoformat(), "waitlist": True}
    answers = _all_at_once([lambda c=c: c.post(path, json=body) for c in clients])
    assert [r.status_code for r in answers] == [201] * 30
    assert sorted(r.json["status"] for r in answers).count("confirmed") == 5
    positions = sorted(r.json["position"] for r in answers if r.json["status"] == "waitlisted")
    assert positions == list(range(1, 26))
    db.session.expire_all()
    slot = db.session.scalar(select(Slot))
    assert (slot.seats, slot.taken) == (5, 5)
    seqs = sorted(db.session.scalars(select(Booking.seq)))
    assert seqs == list(range(1, 31))
