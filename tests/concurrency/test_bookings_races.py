"""Bookings racing each other through the API, against the real database: never an overbooked seat, a
household never past its quota, no 5xx; and cancellations, check-ins, the no-show job and the promotions
they cause racing on one slot keep its seat count true.

The 1,000-request run needs PostgreSQL's row locks to mean something and is skipped on SQLite (which queues
every write anyway); the smaller race runs on both."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.bookings import jobs, slots
from backend.bookings.models import HOLDING, Booking, Slot
from backend.extensions import db
from tests import factories
from tests.bookings_factories import base
from tests.concurrency.test_idempotent_races import THREADS
from tests.conftest import ON_POSTGRES
from tests.test_bookings_desk import book_at, hourly, next_hour

REQUESTS = 1000
HOUSEHOLDS = 40
PER_HOUSEHOLD = 2  # two people of one home book from their own phones: the household's quota binds both
SEATS = 3
WEEK_QUOTA = 2
SLOTS = 5  # 15 seats for 80 people wanting up to 2 each


def _seats_add_up(resource_id: int, seats: int) -> list[Slot]:
    """Each slot's `taken` is the sum of its holding bookings' seats, never more than its seats."""
    db.session.expire_all()
    rows = list(db.session.scalars(select(Slot).filter_by(resource_id=resource_id)))
    for slot in rows:
        held = db.session.scalar(select(func.coalesce(func.sum(Booking.seats), 0)).where(
            Booking.slot_id == slot.id, Booking.status.in_(HOLDING)))
        assert slot.taken == held <= seats == slot.seats, (slot.starts_at, slot.taken, held)
    return rows


def _run(clients: list, work) -> list:
    """The clients share the requests, THREADS at a time, all starting together."""
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(THREADS)

    def thread(n: int) -> list:
        barrier.wait()
        return [work(clients[i % len(clients)], i) for i in range(n, REQUESTS, THREADS)]

    with ThreadPoolExecutor(THREADS) as pool:
        return [r for batch in pool.map(thread, range(THREADS)) for r in batch]


@pytest.mark.skipif(not ON_POSTGRES, reason="the 1,000-request race is for PostgreSQL's row locks")
def test_a_thousand_bookings_at_once_never_overbook_or_pass_a_quota(make_client, community):
    resource = hourly(community, seats=SEATS, max_seats_per_booking=2, week_quota=WEEK_QUOTA, advance_days=14)
    resource_id = resource.id
    day = slots.local_day(community.id, next_hour(72))
    starts = [s.isoformat() for s, _ in slots.slot_times(resource, day)[9:9 + SLOTS]]  # one morning, one week
    clients = []
    for _ in range(HOUSEHOLDS):
        home = factories.create_dwelling(community)
        for _ in range(PER_HOUSEHOLD):
            clients.append(factories.logged_in(make_client(), factories.create_resident(community, dwelling=home)))
    url = f"{base(community)}/resources/{resource_id}/book"

    def book(client, i: int):
        r = client.post(url, json={"starts_at": starts[i % SLOTS], "seats": 1 + i % 2, "waitlist": i % 3 == 0})
        return r.status_code, r.json.get("code") if r.status_code != 201 else r.json["status"]

    outcomes = Counter(_run(clients, book))
    assert set(outcomes) <= {(201, "confirmed"), (201, "waitlisted"), (409, "slot_full"),
                             (409, "already_booked"), (409, "week_quota_exceeded")}, outcomes
    rows = _seats_add_up(resource_id, SEATS)
    assert len(rows) == SLOTS and all(slot.taken == SEATS for slot in rows)  # demand fills every seat
    held = Counter(db.session.scalars(select(Booking.dwelling_id).where(Booking.resource_id == resource_id,
                                                                       Booking.status.in_(HOLDING))))
    assert held and max(held.values()) <= WEEK_QUOTA
    live = Counter(db.session.execute(select(Booking.dwelling_id, Booking.slot_id).where(
        Booking.resource_id == resource_id, Booking.status.in_((*HOLDING, "waitlisted")))).all())
    assert max(live.values()) == 1  # a household holds or waits once per slot
    assert outcomes[(201, "confirmed")] == sum(held.values())


def test_cancellations_check_ins_and_the_no_show_job_racing_on_one_slot(app, make_client, community, staff,
                                                                          staff_client):
    seats, waiting = 6, 24
    resource = hourly(community, seats=seats, cancel_cutoff_minutes=0, checkin_early_minutes=180)
    starts = next_hour(2)
    people = [factories.create_resident(community) for _ in range(seats + waiting)]
    bookings = [book_at(resource, person, starts, waitlist=True) for person in people]
    assert [b.status for b in bookings] == ["confirmed"] * seats + ["waitlisted"] * waiting
    ids = [b.id for b in bookings]
    slot_id = bookings[0].slot_id
    waiters = [factories.logged_in(make_client(), person) for person in people[seats:seats + 6]]
    url = f"{base(community)}/bookings"
    later = starts + timedelta(minutes=20)  # when the worker runs: the confirmed ones not checked in are late
    actions = (
        [lambda i=i: staff_client.post(f"{url}/{ids[i]}/cancel", json={"reason": "改期"})
         for i in range(3)]
        + [lambda i=i: staff_client.post(f"{url}/{ids[i]}/check-in") for i in range(3, 5)]
        + [lambda n=n: waiters[n].post(f"{url}/{ids[seats + n]}/cancel", json={})
           for n in range(len(waiters))]
        + [lambda: _job(app, later) for _ in range(4)])
    db.session.commit()
    barrier = threading.Barrier(len(actions))

    def go(action):
        barrier.wait()
        result = action()
        return getattr(result, "status_code", 200)

    with ThreadPoolExecutor(len(actions)) as pool:
        statuses = list(pool.map(go, actions))
    assert set(statuses) <= {200, 409}, statuses  # 409: the job released that booking first
    while jobs.release_no_shows(later):  # let the job finish what the race left
        pass
    _seats_add_up(resource.id, seats)
    final = dict(db.session.execute(select(Booking.id, Booking.status).where(Booking.id.in_(ids))).all())
    counts = Counter(final.values())
    # each lost to the job or won: a booking the job released is neither cancelled nor checked in after
    assert {final[i] for i in ids[:3]} <= {"cancelled", "no_show"}
    assert {final[i] for i in ids[3:5]} <= {"checked_in", "no_show"}
    assert final[ids[5]] == "no_show"
    # a waiter's cancel loses only to the job releasing the seat it was promoted to
    assert {final[i] for i in ids[seats:seats + len(waiters)]} <= {"cancelled", "no_show"}
    slot = db.session.get(Slot, slot_id)
    # what is left on the waitlist waits only because every seat is held
    assert counts["waitlisted"] == 0 or slot.taken == seats
    assert sum(counts.values()) == seats + waiting


def _job(app, now) -> int:
    with app.app_context():
        done = 0
        while n := jobs.release_no_shows(now):
            done += n
        db.session.remove()
        return done
