"""Redemptions racing each other, against the real database: never oversold, never a negative balance,
the books always sum to zero, and a retried request racing its original makes one transaction.

The 1,000-request run needs PostgreSQL's row locks to mean something and is skipped on SQLite (which
queues every write anyway); the smaller races run on both.
"""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.points import ledger
from backend.points.models import CatalogItem, PointEntry, PointTransaction, Redemption
from tests import factories
from tests import points_factories as pf
from tests.concurrency.test_idempotent_races import THREADS
from tests.conftest import ON_POSTGRES

REQUESTS = 1000
PEOPLE = 50
CLIENTS_EACH = 2  # two phones per person: their own redemptions race each other too
POINTS_EACH = 100
COST = 30  # 3 redemptions each are affordable: 150 wanted, 100 in stock
STOCK = 100


def _books_are_sound() -> None:
    db.session.expire_all()
    assert ledger.check() == []
    assert db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0))) == 0


def _run(clients, jobs) -> list:
    """Each client does its share of jobs in its own thread, all starting together."""
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(len(clients))

    def work(n: int) -> list:
        barrier.wait()
        return [jobs(clients[n], i) for i in range(n, REQUESTS, len(clients))]

    with ThreadPoolExecutor(len(clients)) as pool:
        return [r for batch in pool.map(work, range(len(clients))) for r in batch]


@pytest.mark.skipif(not ON_POSTGRES, reason="the 1,000-request race is for PostgreSQL's row locks")
def test_a_thousand_redemptions_at_once_never_oversell_or_overdraw(make_client, community, staff):
    item = pf.item(community, staff, points_cost=COST, stock=STOCK)
    item_id = item.id
    people = [factories.create_resident(community) for _ in range(PEOPLE)]
    for person in people:
        pf.give(community, person, POINTS_EACH)
    clients = [factories.logged_in(make_client(), p) for p in people for _ in range(CLIENTS_EACH)]
    url = pf.base(community) + "/redemptions"

    def redeem(client, i: int):
        r = client.post(url, json={"item_id": item_id, "quantity": 1}, headers={"Idempotency-Key": f"race-{i:06d}"})
        return r.status_code, r.json.get("code")

    outcomes = Counter(_run(clients, redeem))
    assert set(outcomes) <= {(201, None), (409, "insufficient_points"), (409, "out_of_stock")}, outcomes
    made = outcomes[(201, None)]
    assert made == STOCK  # 150 affordable, 100 in stock: all of it goes, none twice
    _books_are_sound()
    assert db.session.scalar(select(CatalogItem.stock).filter_by(id=item.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == made
    per_person = Counter(db.session.scalars(select(Redemption.user_id)))
    for person in people:
        assert ledger.balance(community.id, person.id) == POINTS_EACH - COST * per_person[person.id] >= 0
        assert ledger.held_balance(community.id, person.id) == COST * per_person[person.id]


def test_one_persons_phones_racing_never_spend_more_than_they_have(make_client, community, staff):
    item = pf.item(community, staff, points_cost=COST, stock=STOCK)
    item_id = item.id
    person = factories.create_resident(community)
    pf.give(community, person, POINTS_EACH)
    phones = [factories.logged_in(make_client(), person) for _ in range(THREADS)]
    url = pf.base(community) + "/redemptions"
    db.session.commit()
    barrier = threading.Barrier(THREADS)

    def redeem(client):
        barrier.wait()
        return client.post(url, json={"item_id": item_id, "quantity": 1}, headers=pf.key("phone")).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = sorted(pool.map(redeem, phones))
    assert statuses == [201] * 3 + [409] * (THREADS - 3)
    _books_are_sound()
    assert ledger.balance(community.id, person.id) == POINTS_EACH - 3 * COST


def test_one_persons_phones_racing_for_a_monthly_limit_get_it_once(make_client, community, staff):
    """The limit is counted under the resident's lock: however many phones press at once, one wins."""
    item = pf.item(community, staff, points_cost=10, stock=STOCK, monthly_limit=1)
    item_id = item.id
    person = factories.create_resident(community)
    pf.give(community, person, POINTS_EACH)
    phones = [factories.logged_in(make_client(), person) for _ in range(THREADS)]
    url = pf.base(community) + "/redemptions"
    db.session.commit()
    barrier = threading.Barrier(THREADS)

    def redeem(client):
        barrier.wait()
        r = client.post(url, json={"item_id": item_id, "quantity": 1}, headers=pf.key("limit"))
        return r.status_code, r.json.get("code")

    with ThreadPoolExecutor(THREADS) as pool:
        answers = Counter(pool.map(redeem, phones))
    assert answers == {(201, None): 1, (409, "monthly_limit_reached"): THREADS - 1}, answers
    _books_are_sound()
    assert ledger.balance(community.id, person.id) == POINTS_EACH - 10
    assert db.session.scalar(select(CatalogItem.stock).filter_by(id=item_id)) == STOCK - 1


def test_a_retry_racing_its_original_makes_one_redemption(make_client, community, staff):
    item = pf.item(community, staff, points_cost=10, stock=STOCK)
    item_id = item.id
    person = factories.create_resident(community)
    pf.give(community, person, POINTS_EACH)
    phones = [factories.logged_in(make_client(), person) for _ in range(THREADS)]
    url = pf.base(community) + "/redemptions"
    for round_ in range(3):
        db.session.commit()
        barrier = threading.Barrier(THREADS)
        headers = {"Idempotency-Key": f"retry-race-{round_}"}

        def redeem(client, barrier=barrier, headers=headers):
            barrier.wait()
            r = client.post(url, json={"item_id": item_id, "quantity": 1}, headers=headers)
            return r.status_code, r.json["id"]

        with ThreadPoolExecutor(THREADS) as pool:
            answers = list(pool.map(redeem, phones))
        assert {status for status, _ in answers} == {201} and len({rid for _, rid in answers}) == 1
    _books_are_sound()
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 3
    assert db.session.scalar(select(func.count()).select_from(PointTransaction).filter_by(kind="redeem")) == 3
    assert ledger.balance(community.id, person.id) == POINTS_EACH - 30


def test_retried_awards_and_cancels_racing_post_once(make_client, community, staff):
    person = factories.create_resident(community)
    desks = [factories.logged_in(make_client(), staff) for _ in range(THREADS)]
    body = {"user_id": person.id, "amount": 40, "reason": "垃圾分类好"}
    url = pf.base(community) + "/awards"
    db.session.commit()
    barrier = threading.Barrier(THREADS)

    def award(client):
        barrier.wait()
        r = client.post(url, json=body, headers={"Idempotency-Key": "award-race-1"})
        return r.status_code, r.json["id"]

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(award, desks))
    assert {s for s, _ in answers} == {201} and len({t for _, t in answers}) == 1
    assert ledger.balance(community.id, person.id) == 40
    item = pf.item(community, staff, points_cost=40)
    phone = factories.logged_in(make_client(), person)
    rid = phone.post(pf.base(community) + "/redemptions", json={"item_id": item.id}, headers=pf.key()).json["id"]
    base = pf.base(community)
    db.session.commit()
    barrier = threading.Barrier(THREADS)

    def cancel_or_hand_over(n: int):
        barrier.wait()
        path = base + f"/redemptions/{rid}/"
        if n % 2:
            return desks[n].post(path + "handover").status_code
        return desks[n].post(path + "cancel", json={}, headers={"Idempotency-Key": "cancel-race-1"}).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(cancel_or_hand_over, range(THREADS)))
    _books_are_sound()
    status = db.session.scalar(select(Redemption.status).filter_by(id=rid))
    if status == "cancelled":  # every cancel (one key) answered 200, every handover 409
        assert statuses[0::2] == [200] * (THREADS // 2) and set(statuses[1::2]) == {409}
        assert ledger.balance(community.id, person.id) == 40
    else:
        assert status == "handed_over" and statuses[1::2].count(200) == 1 and set(statuses[0::2]) == {409}
        assert ledger.balance(community.id, person.id) == 0
    assert db.session.scalar(select(CatalogItem.stock).filter_by(id=item.id)) == (10 if status == "cancelled" else 9)
