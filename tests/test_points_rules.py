"""The love supermarket's finer rules: only services belong to partners, a PUT replaces the whole item,
an inactive partner's services cannot be redeemed, what counts as earned, what a desk may learn from a
pickup code and how often it may ask, and what one redemption costs the database.

After every test the books are checked, as in test_points.py.
"""
from datetime import datetime

import pytest
from sqlalchemy import func, select, update

from backend import create_app
from backend.extensions import db, limiter
from backend.points import clock, ledger
from backend.points.books import expire_year
from backend.points.models import CatalogItem, Partner, PointEntry, PointTransaction, Redemption
from tests import factories
from tests import points_factories as pf
from tests.conftest import TEST_CONFIG, ApiClient
from tests.contacts_factories import at
from tests.querycount import count_queries


@pytest.fixture(autouse=True)
def books_balance(app):
    yield
    db.session.rollback()
    assert ledger.check() == []
    assert db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0))) == 0


def redeem(client, community, item_id, quantity=1):
    return client.post(pf.base(community) + "/redemptions", json={"item_id": item_id, "quantity": quantity},
                       headers=pf.key())


def whole_item(**change) -> dict:
    return {"title": "家电维修", "description": "上门一次", "photo": None, "points_cost": 100, "monthly_limit": 1,
            "partner_id": None, **change}


# --- only services belong to a partner ---

def test_goods_take_no_partner_only_services_do(community, staff, staff_client):
    partner, _ = pf.partner_with_member(community)
    base = pf.base(community) + "/catalog"
    goods = {"kind": "goods", "title": "抽纸", "points_cost": 5, "stock": 5, "partner_id": partner.id}
    r = staff_client.post(base, json=goods)
    assert r.status_code == 422 and list(r.json["errors"]) == ["partner_id"]
    assert db.session.scalar(select(func.count()).select_from(CatalogItem)) == 0
    service = staff_client.post(base, json={**goods, "kind": "service", "stock": None})
    assert service.status_code == 201 and service.json["partner"]["id"] == partner.id
    rice = pf.item(community, staff)
    r = staff_client.put(f"{base}/{rice.id}", json=whole_item(partner_id=partner.id))
    assert r.status_code == 422 and list(r.json["errors"]) == ["partner_id"]
    assert db.session.get(CatalogItem, rice.id).partner_id is None


def test_goods_that_carry_a_partner_are_still_the_communitys(community, staff, resident, resident_client,
                                                              staff_client, make_client):
    """Goods saved with a partner before the rule existed: the partner neither sees, nor hands them over,
    nor is paid; staff hand them over into the pool."""
    partner, member = pf.partner_with_member(community)
    desk = factories.logged_in(make_client(), member)
    rice = pf.item(community, staff, points_cost=20)
    db.session.execute(update(CatalogItem).where(CatalogItem.id == rice.id).values(partner_id=partner.id))
    pf.give(community, resident, 50)
    bag = redeem(resident_client, community, rice.id).json
    base = pf.base(community)
    assert desk.post(base + "/redemptions/lookup", json={"pickup_code": bag["pickup_code"]}).status_code == 404
    assert desk.get(base + "/redemptions").json["items"] == []
    assert desk.post(base + f"/redemptions/{bag['id']}/handover").status_code == 403
    assert staff_client.post(base + f"/redemptions/{bag['id']}/handover").status_code == 200
    assert ledger.account(community.id, "partner", partner_id=partner.id).balance == 0
    assert ledger.pool(community.id).balance == -50 + 20


# --- PUT replaces the whole item (and the whole partner) ---

def test_a_put_without_every_field_is_refused_and_changes_nothing(community, staff, staff_client):
    partner, _ = pf.partner_with_member(community)
    repair = pf.item(community, staff, kind="service", title="家电维修", points_cost=100, stock=None,
                     monthly_limit=1, partner_id=partner.id)
    url = pf.base(community) + f"/catalog/{repair.id}"
    r = staff_client.put(url, json={"title": "家电维修", "points_cost": 120})
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"description", "photo", "monthly_limit", "partner_id"}
    item = staff_client.get(url).json
    assert (item["points_cost"], item["partner"]["id"], item["monthly_limit"]) == (100, partner.id, 1)


def test_a_whole_put_keeps_position_and_active_when_left_out(community, staff, staff_client):
    partner, _ = pf.partner_with_member(community)
    repair = pf.item(community, staff, kind="service", title="家电维修", stock=None, partner_id=partner.id)
    db.session.execute(update(CatalogItem).where(CatalogItem.id == repair.id).values(position=7, active=False))
    url = pf.base(community) + f"/catalog/{repair.id}"
    # What the staff editor sends (pwa/src/views/points/staff/form.ts toInput), active left out.
    r = staff_client.put(url, json=whole_item(points_cost=120, monthly_limit=None, partner_id=partner.id))
    assert r.status_code == 200, r.json
    assert (r.json["points_cost"], r.json["monthly_limit"], r.json["partner"]["id"]) == (120, None, partner.id)
    assert (r.json["position"], r.json["active"]) == (7, False)
    r = staff_client.put(url, json=whole_item(partner_id=None, active=True, position=2))
    assert (r.json["partner"], r.json["active"], r.json["position"]) == (None, True, 2)


def test_a_partner_put_without_every_field_is_refused(community, staff_client):
    partner, _ = pf.partner_with_member(community)
    url = pf.base(community) + f"/partners/{partner.id}"
    r = staff_client.put(url, json={"name": "理发店", "active": False})
    assert r.status_code == 422 and set(r.json["errors"]) == {"category", "phone", "address", "description"}
    row = db.session.get(Partner, partner.id)
    db.session.refresh(row)
    assert (row.name, row.category, row.active) == ("幸福里便民理发店", "理发", True)


# --- an inactive partner's services ---

def test_services_of_an_inactive_partner_cannot_be_redeemed(community, staff, resident, resident_client,
                                                           staff_client):
    partner, _ = pf.partner_with_member(community)
    haircut = pf.item(community, staff, kind="service", title="理发", points_cost=50, stock=None,
                      partner_id=partner.id)
    pf.give(community, resident, 100)
    body = {"name": partner.name, "category": "理发", "phone": "", "address": "", "description": "", "active": False}
    r = staff_client.put(pf.base(community) + f"/partners/{partner.id}", json=body)
    assert r.status_code == 200, r.json
    r = redeem(resident_client, community, haircut.id)
    assert r.status_code == 409 and r.json["code"] == "partner_inactive"
    assert ledger.balance(community.id, resident.id) == 100
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 0
    staff_client.put(pf.base(community) + f"/partners/{partner.id}", json={**body, "active": True})
    assert redeem(resident_client, community, haircut.id).status_code == 201


# --- what counts as earned ---

def _award(community, resident, kind: str, amount: int, key: str) -> int:
    txn = ledger.award(community.id, resident.id, amount, kind=kind, key=key, memo="", by_user_id=None)
    db.session.commit()
    return txn.id


def _backdate(txn_id: int, when: datetime) -> None:
    db.session.execute(update(PointTransaction).where(PointTransaction.id == txn_id).values(created_at=when))
    db.session.commit()


def _csv_row(staff_client, community, year: int) -> str:
    r = staff_client.get(pf.base(community) + f"/export/points.csv?year={year}")
    return r.data.decode("utf-8-sig").splitlines()[1]


def test_earned_nets_out_reversals_and_downward_adjustments(community, staff, resident, resident_client,
                                                            staff_client):
    wrong = _award(community, resident, "manual", 10, "t:wrong")
    staff_client.post(pf.base(community) + f"/transactions/{wrong}/reverse", json={"reason": "录错了"},
                      headers=pf.key())
    _award(community, resident, "hours", 30, "attendance:1")
    ledger.adjust(community.id, resident.id, -30, key="attendance:1:adjust:1", memo="", by_user_id=None)
    ledger.adjust(community.id, resident.id, 10, key="attendance:1:adjust:2", memo="", by_user_id=None)
    _award(community, resident, "manual", 50, "t:good")
    rid = redeem(resident_client, community, pf.item(community, staff, points_cost=20).id).json["id"]
    resident_client.post(pf.base(community) + f"/redemptions/{rid}/cancel", json={}, headers=pf.key())
    redeem(resident_client, community, pf.item(community, staff, points_cost=15).id)
    me = resident_client.get(pf.base(community) + "/me").json
    assert me["balance"] == 60 - 15 and me["earned_this_year"] == 60  # 10 − 10 + 30 − 30 + 10 + 50
    year = clock.local_now(community.id).year
    assert _csv_row(staff_client, community, year) == f"{resident.name},{resident.phone},60,15,0,45"


def test_a_reversal_counts_in_the_year_of_the_award_it_takes_back(community, resident, resident_client,
                                                                  staff_client):
    old = _award(community, resident, "manual", 40, "t:old")
    _backdate(old, at("2025-06-01 10:00"))
    _award(community, resident, "manual", 25, "t:new")
    staff_client.post(pf.base(community) + f"/transactions/{old}/reverse", json={"reason": "录错了"},
                      headers=pf.key())
    assert resident_client.get(pf.base(community) + "/me").json["earned_this_year"] == 25
    assert _csv_row(staff_client, community, 2025) == f"{resident.name},{resident.phone},0,0,0,25"


def test_yearly_expiry_does_not_spend_old_points_on_a_reversal(community, resident, staff_client):
    """A reversal takes back its own award, not the oldest points: 2024's 100 stay whole and expire."""
    staff_client.put(pf.base(community) + "/settings", json={"expiry": "yearly", "pickup_days": 14})
    _backdate(_award(community, resident, "manual", 100, "t:2024"), at("2024-05-01 10:00"))
    newer = _award(community, resident, "manual", 60, "t:2025")
    _backdate(newer, at("2025-03-01 10:00"))
    staff_client.post(pf.base(community) + f"/transactions/{newer}/reverse", json={"reason": "x"}, headers=pf.key())
    assert expire_year(now=at("2026-01-01 00:30")) == 1
    assert ledger.balance(community.id, resident.id) == 0


# --- the pickup-code desk ---

def test_another_partners_code_answers_as_an_unknown_one(community, staff, resident, resident_client, make_client):
    ours, member = pf.partner_with_member(community)
    theirs, _ = pf.partner_with_member(community, name="长者饭堂")
    desk = factories.logged_in(make_client(), member)
    meal = pf.item(community, staff, kind="service", title="助餐", points_cost=20, stock=None, partner_id=theirs.id)
    rice = pf.item(community, staff, points_cost=20)
    pf.give(community, resident, 100)
    codes = [redeem(resident_client, community, i.id).json["pickup_code"] for i in (meal, rice)]
    url = pf.base(community) + "/redemptions/lookup"
    unknown = next(f"{n:08d}" for n in range(10**8) if f"{n:08d}" not in codes)
    answers = [desk.post(url, json={"pickup_code": code}) for code in [*codes, unknown]]
    assert {(r.status_code, r.json["code"], r.json["message"]) for r in answers} == {
        (404, "not_found", "No reserved redemption has this code.")}


@pytest.fixture
def limited_client(app, database_url):
    """Clients of an app with rate limits on (in memory), sharing the test's database."""
    limited = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "AUTH_RATE_LIMIT": "100 per minute"})
    limited.test_client_class = ApiClient
    limiter.reset()
    yield lambda user: factories.logged_in(limited.test_client(), user)
    limiter.reset()
    with limited.app_context():
        db.engine.dispose()


def test_pickup_lookups_are_limited_per_person(community, staff, resident, resident_client, limited_client):
    pf.give(community, resident, 100)
    code = redeem(resident_client, community, pf.item(community, staff, points_cost=10).id).json["pickup_code"]
    desk, other_desk = limited_client(staff), limited_client(factories.create_user(community, role="staff"))
    url = pf.base(community) + "/redemptions/lookup"
    answers = [desk.post(url, json={"pickup_code": code}).status_code for _ in range(31)]
    assert answers == [200] * 30 + [429]
    assert other_desk.post(url, json={"pickup_code": code}).status_code == 200


def test_codes_not_found_are_limited_sooner(community, staff, limited_client):
    desk = limited_client(staff)
    url = pf.base(community) + "/redemptions/lookup"
    answers = [desk.post(url, json={"pickup_code": f"{n:08d}"}).status_code for n in range(21)]
    assert answers == [404] * 20 + [429]


# --- what one redemption costs ---

def test_one_redemption_reads_each_thing_once(community, staff, resident, resident_client):
    """The key is looked up once (under the resident's lock), the accounts once each, the settings and the
    time zone in one query, and nothing is read back after the commit."""
    pf.give(community, resident, 200)
    item_id = pf.item(community, staff, points_cost=10, stock=50, monthly_limit=5).id
    url = pf.base(community) + "/redemptions"
    resident_client.post(url, json={"item_id": item_id}, headers=pf.key())  # the held account exists now
    headers = pf.key()
    db.session.commit()
    with count_queries() as statements:
        r = resident_client.post(url, json={"item_id": item_id}, headers=headers)
    assert r.status_code == 201 and r.json["item"]["id"] == item_id and r.json["user"]["name"] == resident.name
    flat = [" ".join(s.split()) for s in statements if s != "BEGIN IMMEDIATE"]  # SQLite's start of a write
    reads = [s for s in flat if s.startswith("SELECT")]
    assert sum("FROM point_transaction" in s for s in reads) == 1
    assert sum("FROM point_account" in s for s in reads) == 2
    assert sum("points_settings" in s or "FROM community" in s for s in reads) == 1
    assert not any("FROM redemption" in s and "sum(" not in s for s in reads)
    assert len(flat) <= 18, "\n".join(flat)
