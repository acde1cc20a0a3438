"""Points and the love supermarket: the ledger's rules, every endpoint, who may call it, retries and errors.

After every test the books are checked: each transaction sums to zero, each account's cached balance is
the sum of its entries, and no balance but the pool's is negative.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from backend.common.models import utcnow
from backend.errors import Conflict
from backend.extensions import db
from backend.points import ledger, market
from backend.points.models import CatalogItem, PointEntry, Redemption
from tests import factories
from tests import points_factories as pf
from tests.contacts_factories import upload_photo


@pytest.fixture(autouse=True)
def books_balance(app):
    yield
    db.session.rollback()
    assert ledger.check() == []
    assert db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0))) == 0


def redeem(client, community, item_id, quantity=1, headers=None):
    return client.post(pf.base(community) + "/redemptions", json={"item_id": item_id, "quantity": quantity},
                       headers=headers if headers is not None else pf.key())


def stock_of(item) -> int | None:
    return db.session.scalar(select(CatalogItem.stock).filter_by(id=item.id))


# --- the ledger itself ---

def test_award_is_idempotent_on_its_key_and_moves_pool_to_resident(community, resident):
    first = ledger.award(community.id, resident.id, 30, kind="hours", key="attendance:1", memo="", by_user_id=None)
    assert first.replayed is False
    again = ledger.award(community.id, resident.id, 30, kind="hours", key="attendance:1", memo="", by_user_id=None)
    db.session.commit()
    assert again.id == first.id and again.replayed
    assert ledger.balance(community.id, resident.id) == 30
    assert ledger.pool(community.id).balance == -30
    assert sorted(e.amount for e in first.entries) == [-30, 30]


def test_adjust_moves_either_way_and_never_below_zero(community, resident):
    pf.give(community, resident, 10)
    ledger.adjust(community.id, resident.id, 5, key="adj:1", memo="", by_user_id=None)
    ledger.adjust(community.id, resident.id, -12, key="adj:2", memo="", by_user_id=None)
    assert ledger.adjust(community.id, resident.id, 0, key="adj:3", memo="", by_user_id=None) is None
    db.session.commit()
    assert ledger.balance(community.id, resident.id) == 3
    with pytest.raises(Conflict) as err:
        ledger.adjust(community.id, resident.id, -4, key="adj:4", memo="", by_user_id=None)
    assert err.value.code == "insufficient_points"
    db.session.rollback()
    assert ledger.balance(community.id, resident.id) == 3 and ledger.find(community.id, "adj:4") is None


def test_a_posting_that_does_not_sum_to_zero_is_refused(community, resident):
    with pytest.raises(ValueError):
        ledger.post(community.id, "manual", [(ledger.resident(community.id, resident.id), 5),
                                             (ledger.pool(community.id), -4)], key="bad")


def test_the_database_refuses_a_negative_resident_balance(community, resident):
    account = ledger.resident(community.id, resident.id)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(type(account)).where(type(account).id == account.id).values(balance=-1))
        db.session.flush()
    db.session.rollback()


def test_balance_of_someone_without_points_is_zero(community, resident):
    assert ledger.balance(community.id, resident.id) == 0


# --- my points ---

def test_me_and_my_history_with_balance_after(community, staff, resident, resident_client):
    assert resident_client.get(pf.base(community) + "/me").json == {
        "balance": 0, "held": 0, "earned_this_year": 0, "expiring": None}
    pf.give(community, resident, 100)
    pf.give(community, resident, 50)
    item = pf.item(community, staff, points_cost=30)
    assert redeem(resident_client, community, item.id).status_code == 201
    me = resident_client.get(pf.base(community) + "/me").json
    assert me == {"balance": 120, "held": 30, "earned_this_year": 150, "expiring": None}
    history = resident_client.get(pf.base(community) + "/me/transactions?per_page=2").json
    assert history["total"] == 3
    assert [(i["kind"], i["amount"], i["balance_after"]) for i in history["items"]] == [
        ("redeem", -30, 120), ("manual", 50, 150)]
    page2 = resident_client.get(pf.base(community) + "/me/transactions?per_page=2&page=2").json
    assert [(i["amount"], i["balance_after"]) for i in page2["items"]] == [(100, 100)]


# --- the catalogue ---

def test_staff_keep_the_catalogue_and_residents_see_active_items(community, staff_client, resident_client):
    base = pf.base(community)
    photo = upload_photo(staff_client, community, "catalog_photo").json["id"]
    goods = staff_client.post(base + "/catalog", json={"kind": "goods", "title": "洗衣液", "points_cost": 80,
                                                       "stock": 5, "monthly_limit": 1, "photo": photo})
    assert goods.status_code == 201, goods.json
    assert goods.json["photo"]["url"].endswith(photo) and goods.json["stock"] == 5
    assert resident_client.get(goods.json["photo"]["url"]).status_code == 200
    assert staff_client.post(base + "/catalog", json={"kind": "goods", "title": "大米", "points_cost": 10}).json[
        "errors"] == {"stock": ["Goods need a stock count."]}
    service = staff_client.post(base + "/catalog", json={"kind": "service", "title": "理发", "points_cost": 50})
    assert service.status_code == 201 and service.json["stock"] is None
    listed = resident_client.get(base + "/catalog?kind=goods").json
    assert [i["title"] for i in listed] == ["洗衣液"] and listed[0]["my_month_count"] == 0
    changed = staff_client.put(base + f"/catalog/{goods.json['id']}", json={
        "title": "洗衣液 2kg", "description": "", "points_cost": 90, "monthly_limit": None, "photo": photo,
        "partner_id": None})
    assert changed.status_code == 200 and changed.json["points_cost"] == 90 and changed.json["stock"] == 5
    assert staff_client.delete(base + f"/catalog/{goods.json['id']}").status_code == 204
    assert resident_client.get(base + f"/catalog/{goods.json['id']}").status_code == 404
    assert staff_client.get(base + f"/catalog/{goods.json['id']}").json["active"] is False
    assert len(staff_client.get(base + "/catalog?all=true").json) == 2
    assert len(resident_client.get(base + "/catalog?all=true").json) == 1


def test_bad_catalogue_input_is_a_422(community, staff_client):
    base = pf.base(community)
    for body in ({"kind": "food", "title": "x", "points_cost": 1, "stock": 1},
                 {"kind": "goods", "title": "x", "points_cost": 0, "stock": 1},
                 {"kind": "goods", "title": "x", "points_cost": "1", "stock": 1},
                 {"kind": "goods", "title": "x", "points_cost": 1, "stock": -1},
                 {"kind": "service", "title": "x", "points_cost": 1, "partner_id": 999}):
        r = staff_client.post(base + "/catalog", json=body)
        assert r.status_code == 422 and r.json["code"] in ("validation_failed",), (body, r.json)


def test_stock_changes_never_go_below_zero(community, staff, staff_client):
    base = pf.base(community)
    goods = pf.item(community, staff, stock=3)
    service = pf.item(community, staff, kind="service", stock=None)
    r = staff_client.post(base + f"/catalog/{goods.id}/stock", json={"change": 7, "reason": "进货"})
    assert r.status_code == 200 and r.json["stock"] == 10
    r = staff_client.post(base + f"/catalog/{goods.id}/stock", json={"change": -11, "reason": "盘点"})
    assert r.status_code == 409 and r.json["code"] == "stock_below_zero" and stock_of(goods) == 10
    assert staff_client.post(base + f"/catalog/{goods.id}/stock", json={"change": 0, "reason": "x"}).status_code == 422
    r = staff_client.post(base + f"/catalog/{service.id}/stock", json={"change": 1, "reason": "x"})
    assert r.status_code == 409 and r.json["code"] == "no_stock_kept"


def test_residents_and_other_communities_cannot_touch_the_catalogue(community, other_community, staff,
                                                                   resident_client, make_client):
    base = pf.base(community)
    goods = pf.item(community, staff)
    body = {"kind": "goods", "title": "x", "points_cost": 1, "stock": 1}
    assert resident_client.post(base + "/catalog", json=body).status_code == 403
    assert resident_client.put(base + f"/catalog/{goods.id}", json={"title": "x", "points_cost": 1}).status_code == 403
    assert resident_client.delete(base + f"/catalog/{goods.id}").status_code == 403
    other_staff = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert other_staff.get(base + "/catalog").status_code == 403
    assert other_staff.post(base + f"/catalog/{goods.id}/stock", json={"change": 1, "reason": "x"}).status_code == 403
    # Their own community's URL does not reach this community's item.
    assert other_staff.get(pf.base(other_community) + f"/catalog/{goods.id}").status_code == 404
    assert other_staff.put(pf.base(other_community) + f"/catalog/{goods.id}", json={
        "title": "x", "description": "", "photo": None, "points_cost": 1, "monthly_limit": None,
        "partner_id": None}).status_code == 404


# --- redemptions ---

def test_redeeming_holds_points_takes_stock_and_gives_a_pickup_code(community, staff, resident, resident_client):
    pf.give(community, resident, 200)
    item = pf.item(community, staff, points_cost=40, stock=5)
    r = redeem(resident_client, community, item.id, 2)
    assert r.status_code == 201, r.json
    assert r.json["status"] == "reserved" and r.json["points"] == 80 and len(r.json["pickup_code"]) == 8
    assert ledger.balance(community.id, resident.id) == 120 and ledger.held_balance(community.id, resident.id) == 80
    assert stock_of(item) == 3
    mine = resident_client.get(pf.base(community) + "/redemptions/mine").json
    assert [m["id"] for m in mine] == [r.json["id"]]
    assert resident_client.get(pf.base(community) + f"/catalog/{item.id}").json["my_month_count"] == 2


def test_a_retry_with_the_same_key_gets_the_first_answer_and_a_changed_body_409(community, staff, resident,
                                                                              resident_client):
    pf.give(community, resident, 200)
    item = pf.item(community, staff, points_cost=40, stock=5)
    headers = pf.key()
    first = redeem(resident_client, community, item.id, 1, headers)
    again = redeem(resident_client, community, item.id, 1, headers)
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert ledger.balance(community.id, resident.id) == 160 and stock_of(item) == 4
    changed = redeem(resident_client, community, item.id, 2, headers)
    assert changed.status_code == 409 and changed.json["code"] == "idempotency_key_reused"
    assert ledger.balance(community.id, resident.id) == 160 and stock_of(item) == 4


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "short"}, {"Idempotency-Key": "has space in it"},
                                     {"Idempotency-Key": "x" * 65}])
def test_a_missing_or_malformed_key_is_a_422(community, staff, resident, resident_client, headers):
    pf.give(community, resident, 100)
    item = pf.item(community, staff)
    r = redeem(resident_client, community, item.id, 1, headers)
    assert r.status_code == 422 and r.json["code"] == "idempotency_key_required"


def test_the_same_key_from_two_people_is_two_redemptions(community, staff, make_client):
    item = pf.item(community, staff, points_cost=10)
    people = [factories.create_resident(community) for _ in range(2)]
    for person in people:
        pf.give(community, person, 10)
        client = factories.logged_in(make_client(), person)
        assert redeem(client, community, item.id, 1, {"Idempotency-Key": "same-key-1"}).status_code == 201
    assert stock_of(item) == 8


def test_redeem_errors_leave_points_and_stock_as_they_were(community, staff, resident, resident_client):
    pf.give(community, resident, 100)
    dear = pf.item(community, staff, points_cost=60, stock=5)
    scarce = pf.item(community, staff, points_cost=10, stock=1)
    limited = pf.item(community, staff, points_cost=10, stock=10, monthly_limit=2)
    cases = [(dear, 2, 409, "insufficient_points"), (scarce, 2, 409, "out_of_stock"),
             (limited, 3, 409, "monthly_limit_reached"), (limited, 11, 422, "validation_failed"),
             (limited, 0, 422, "validation_failed")]
    for item, quantity, status, code in cases:
        r = redeem(resident_client, community, item.id, quantity)
        assert (r.status_code, r.json["code"]) == (status, code), (item.title, quantity)
    assert ledger.balance(community.id, resident.id) == 100
    assert (stock_of(dear), stock_of(scarce), stock_of(limited)) == (5, 1, 10)
    assert redeem(resident_client, community, limited.id, 2).status_code == 201
    r = redeem(resident_client, community, limited.id, 1)
    assert r.status_code == 409 and r.json["code"] == "monthly_limit_reached"
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1


def test_a_cancelled_redemption_does_not_count_against_the_monthly_limit(community, staff, resident,
                                                                         resident_client):
    pf.give(community, resident, 100)
    limited = pf.item(community, staff, points_cost=10, monthly_limit=1)
    first = redeem(resident_client, community, limited.id).json
    resident_client.post(pf.base(community) + f"/redemptions/{first['id']}/cancel", json={}, headers=pf.key())
    assert redeem(resident_client, community, limited.id).status_code == 201


def test_only_verified_residents_redeem(community, staff, make_client):
    item = pf.item(community, staff, points_cost=10)
    pending = factories.create_resident(community, status="pending")
    pf.give(community, pending, 50)
    r = redeem(factories.logged_in(make_client(), pending), community, item.id)
    assert r.status_code == 403 and r.json["code"] == "not_verified"
    assert ledger.balance(community.id, pending.id) == 50


def test_unknown_inactive_or_foreign_items_are_404(community, other_community, staff, resident, resident_client):
    pf.give(community, resident, 100)
    gone = pf.item(community, staff)
    market_staff = factories.create_user(other_community, role="staff")
    foreign = pf.item(other_community, market_staff)
    db.session.get(CatalogItem, gone.id).active = False
    db.session.commit()
    for item_id in (gone.id, foreign.id, 99999):
        assert redeem(resident_client, community, item_id).status_code == 404


def test_cancel_returns_points_and_stock_and_is_idempotent(community, staff, resident, resident_client, make_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=30, stock=4)
    rid = redeem(resident_client, community, item.id, 2).json["id"]
    url = pf.base(community) + f"/redemptions/{rid}/cancel"
    stranger = factories.logged_in(make_client(), factories.create_resident(community))
    assert stranger.post(url, json={}, headers=pf.key()).status_code == 404
    headers = pf.key()
    first = resident_client.post(url, json={"reason": "不需要了"}, headers=headers)
    assert first.status_code == 200 and first.json["status"] == "cancelled"
    assert resident_client.post(url, json={"reason": "不需要了"}, headers=headers).json == first.json
    assert resident_client.post(url, json={"reason": "别的"}, headers=headers).json["code"] == "idempotency_key_reused"
    again = resident_client.post(url, json={}, headers=pf.key())
    assert again.status_code == 409 and again.json["code"] == "not_reserved"
    assert ledger.balance(community.id, resident.id) == 100 and ledger.held_balance(community.id, resident.id) == 0
    assert stock_of(item) == 4


def test_staff_cancel_any_redemption(community, staff, resident, resident_client, staff_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=30)
    rid = redeem(resident_client, community, item.id).json["id"]
    r = staff_client.post(pf.base(community) + f"/redemptions/{rid}/cancel", json={"reason": "缺货"},
                          headers=pf.key())
    assert r.status_code == 200 and r.json["cancelled_reason"] == "缺货"
    assert ledger.balance(community.id, resident.id) == 100


def test_unpicked_redemptions_expire_and_give_everything_back(community, staff, resident, resident_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=30, stock=2)
    rid = redeem(resident_client, community, item.id).json["id"]
    assert market.expire_due() == 0
    assert market.expire_due(now=utcnow() + timedelta(days=15)) == 1
    row = db.session.get(Redemption, rid)
    db.session.refresh(row)
    assert row.status == "expired" and row.cancelled_reason == "expired"
    assert ledger.balance(community.id, resident.id) == 100 and stock_of(item) == 2
    assert market.expire_due(now=utcnow() + timedelta(days=15)) == 0


def test_goods_are_handed_over_by_staff_into_the_pool(community, staff, resident, resident_client, staff_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=30)
    rid = redeem(resident_client, community, item.id).json["id"]
    code = resident_client.get(pf.base(community) + "/redemptions/mine").json[0]["pickup_code"]
    found = staff_client.post(pf.base(community) + "/redemptions/lookup", json={"pickup_code": code})
    assert found.status_code == 200 and found.json["id"] == rid
    lookup = resident_client.post(pf.base(community) + "/redemptions/lookup", json={"pickup_code": code})
    assert lookup.status_code == 403
    assert resident_client.post(pf.base(community) + f"/redemptions/{rid}/handover").status_code == 403
    r = staff_client.post(pf.base(community) + f"/redemptions/{rid}/handover")
    assert r.status_code == 200 and r.json["status"] == "handed_over"
    again = staff_client.post(pf.base(community) + f"/redemptions/{rid}/handover")
    assert again.status_code == 409 and again.json["code"] == "not_reserved"
    assert staff_client.post(pf.base(community) + "/redemptions/lookup", json={"pickup_code": code}).status_code == 404
    assert ledger.held_balance(community.id, resident.id) == 0 and ledger.pool(community.id).balance == -70
    cancel = resident_client.post(pf.base(community) + f"/redemptions/{rid}/cancel", json={}, headers=pf.key())
    assert cancel.status_code == 409


def test_a_partner_hands_over_its_own_services_only(community, staff, resident, resident_client, make_client):
    partner, member = pf.partner_with_member(community)
    desk = factories.logged_in(make_client(), member)
    pf.give(community, resident, 200)
    haircut = pf.item(community, staff, kind="service", title="理发", points_cost=50, stock=None, partner_id=partner.id)
    rice = pf.item(community, staff, points_cost=20)
    cut = redeem(resident_client, community, haircut.id).json
    bag = redeem(resident_client, community, rice.id).json
    base = pf.base(community)
    assert desk.get(base + "/partner/me").json[0]["name"] == "幸福里便民理发店"
    assert resident_client.get(base + "/partner/me").json == []
    assert desk.post(base + "/redemptions/lookup", json={"pickup_code": cut["pickup_code"]}).json["id"] == cut["id"]
    assert desk.post(base + "/redemptions/lookup", json={"pickup_code": bag["pickup_code"]}).status_code == 404
    assert desk.post(base + "/redemptions/lookup", json={"pickup_code": "12"}).status_code == 422
    listed = desk.get(base + "/redemptions").json
    assert [r["id"] for r in listed["items"]] == [cut["id"]]
    assert resident_client.get(base + "/redemptions").status_code == 403
    assert desk.post(base + f"/redemptions/{bag['id']}/handover").status_code == 403
    assert desk.post(base + f"/redemptions/{cut['id']}/handover").status_code == 200
    account = ledger.account(community.id, "partner", partner_id=partner.id)
    assert account.balance == 50


def test_staff_list_redemptions_by_status(community, staff, resident, resident_client, staff_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=10)
    ids = [redeem(resident_client, community, item.id).json["id"] for _ in range(3)]
    staff_client.post(pf.base(community) + f"/redemptions/{ids[0]}/handover")
    page = staff_client.get(pf.base(community) + "/redemptions?status=reserved").json
    assert page["total"] == 2 and [r["id"] for r in page["items"]] == [ids[2], ids[1]]
    assert page["items"][0]["user"]["id"] == resident.id


def test_other_communities_staff_cannot_reach_redemptions(community, other_community, staff, resident,
                                                         resident_client, make_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=10)
    rid = redeem(resident_client, community, item.id).json["id"]
    other = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert other.get(pf.base(community) + "/redemptions").status_code == 403
    assert other.post(pf.base(other_community) + f"/redemptions/{rid}/handover").status_code == 404
    assert other.post(pf.base(other_community) + f"/redemptions/{rid}/cancel", json={},
                      headers=pf.key()).status_code == 404
    assert db.session.get(Redemption, rid).status == "reserved"


# --- awards, the ledger, reversals ---

def test_staff_award_points_by_hand_once_per_key(community, staff, resident, staff_client, resident_client):
    url = pf.base(community) + "/awards"
    body = {"user_id": resident.id, "amount": 20, "reason": "垃圾分类好"}
    headers = pf.key()
    first = staff_client.post(url, json=body, headers=headers)
    assert first.status_code == 201 and first.json["amount"] == 20 and first.json["user"]["id"] == resident.id
    assert staff_client.post(url, json=body, headers=headers).json == first.json
    reused = staff_client.post(url, json={**body, "amount": 21}, headers=headers)
    assert reused.status_code == 409 and reused.json["code"] == "idempotency_key_reused"
    assert ledger.balance(community.id, resident.id) == 20
    assert resident_client.post(url, json=body, headers=pf.key()).status_code == 403
    assert staff_client.post(url, json=body).json["code"] == "idempotency_key_required"


@pytest.mark.parametrize("change", [{"amount": 0}, {"amount": 10001}, {"reason": ""}, {"reason": "x" * 201},
                                    {"user_id": None}, {"amount": 1.5}])
def test_bad_awards_are_422(community, resident, staff_client, change):
    body = {"user_id": resident.id, "amount": 5, "reason": "好人好事", **change}
    r = staff_client.post(pf.base(community) + "/awards", json=body, headers=pf.key())
    assert r.status_code == 422


def test_awards_go_to_members_of_the_community_only(community, other_community, staff_client):
    outsider = factories.create_resident(other_community)
    r = staff_client.post(pf.base(community) + "/awards", json={"user_id": outsider.id, "amount": 5, "reason": "x"},
                          headers=pf.key())
    assert r.status_code == 422 and ledger.balance(community.id, outsider.id) == 0


def test_the_ledger_lists_newest_first_by_person_and_kind(community, staff, resident, staff_client, resident_client):
    other = factories.create_resident(community)
    pf.give(community, resident, 10)
    pf.give(community, other, 20)
    item = pf.item(community, staff, points_cost=5)
    redeem(resident_client, community, item.id)
    base = pf.base(community) + "/transactions"
    assert [t["kind"] for t in staff_client.get(base).json["items"]] == ["redeem", "manual", "manual"]
    mine = staff_client.get(base + f"?user_id={resident.id}").json
    assert mine["total"] == 2 and {t["kind"] for t in mine["items"]} == {"redeem", "manual"}
    assert staff_client.get(base + "?kind=manual").json["total"] == 2
    assert staff_client.get(base + "?kind=nope").status_code == 422
    assert resident_client.get(base).status_code == 403


def test_reversing_an_award_once_and_never_when_spent(community, staff, resident, resident_client, staff_client):
    tid = pf.give(community, resident, 50)
    spent = pf.give(community, resident, 40)
    url = pf.base(community) + "/transactions/{}/reverse"
    headers = pf.key()
    r = staff_client.post(url.format(tid), json={"reason": "录错了"}, headers=headers)
    assert r.status_code == 201 and r.json["kind"] == "reversal" and r.json["reverses_id"] == tid
    assert r.json["amount"] == -50
    assert staff_client.post(url.format(tid), json={"reason": "录错了"}, headers=headers).json == r.json
    twice = staff_client.post(url.format(tid), json={"reason": "again"}, headers=pf.key())
    assert twice.status_code == 409 and twice.json["code"] == "already_reversed"
    assert staff_client.get(pf.base(community) + "/transactions?kind=manual").json["items"][1]["reversed"] is True
    item = pf.item(community, staff, points_cost=30)
    rid = redeem(resident_client, community, item.id).json["id"]
    r = staff_client.post(url.format(spent), json={"reason": "x"}, headers=pf.key())
    assert r.status_code == 409 and r.json["code"] == "insufficient_points"
    redeem_tid = db.session.get(Redemption, rid).transaction_id
    r = staff_client.post(url.format(redeem_tid), json={"reason": "x"}, headers=pf.key())
    assert r.status_code == 409 and r.json["code"] == "not_reversible"
    assert staff_client.post(url.format(99999), json={"reason": "x"}, headers=pf.key()).status_code == 404
    assert resident_client.post(url.format(spent), json={"reason": "x"}, headers=pf.key()).status_code == 403
    assert ledger.balance(community.id, resident.id) == 10


def test_a_reversal_refused_for_a_spent_award_can_follow_a_cancel(community, staff, resident, resident_client,
                                                                  staff_client):
    tid = pf.give(community, resident, 30)
    item = pf.item(community, staff, points_cost=30)
    rid = redeem(resident_client, community, item.id).json["id"]
    url = pf.base(community) + f"/transactions/{tid}/reverse"
    assert staff_client.post(url, json={"reason": "x"}, headers=pf.key()).status_code == 409
    staff_client.post(pf.base(community) + f"/redemptions/{rid}/cancel", json={}, headers=pf.key())
    assert staff_client.post(url, json={"reason": "x"}, headers=pf.key()).status_code == 201
    assert ledger.balance(community.id, resident.id) == 0


# --- partners and settings ---

def test_staff_keep_partners_and_their_members(community, staff_client, resident_client, resident):
    base = pf.base(community) + "/partners"
    created = staff_client.post(base, json={"name": "幸福里便民理发店", "category": "理发"})
    assert created.status_code == 201
    pid = created.json["id"]
    linked = staff_client.post(f"{base}/{pid}/members", json={"phone": resident.phone})
    assert linked.status_code == 200 and linked.json["members"][0]["user_id"] == resident.id
    assert resident_client.get(pf.base(community) + "/partner/me").json[0]["id"] == pid
    unknown = staff_client.post(f"{base}/{pid}/members", json={"phone": "13012345678"})
    assert unknown.status_code == 422 and unknown.json["code"] == "user_not_found"
    changed = staff_client.put(f"{base}/{pid}", json={"name": "理发店", "category": "理发", "phone": "", "address": "",
                                                      "description": "", "active": False})
    assert changed.json["active"] is False and changed.json["category"] == "理发"
    assert resident_client.get(pf.base(community) + "/partner/me").json == []
    assert staff_client.delete(f"{base}/{pid}/members/{resident.id}").status_code == 204
    assert staff_client.delete(f"{base}/{pid}/members/{resident.id}").status_code == 404
    assert staff_client.get(base).json[0]["members"] == []
    assert resident_client.get(base).status_code == 403
    assert resident_client.post(base, json={"name": "x"}).status_code == 403


def test_partners_of_another_community_are_404(community, other_community, staff_client):
    theirs, _ = pf.partner_with_member(other_community)
    base = pf.base(community) + f"/partners/{theirs.id}"
    body = {"name": "x", "category": "", "phone": "", "address": "", "description": "", "active": True}
    assert staff_client.put(base, json=body).status_code == 404
    assert staff_client.post(base + "/members", json={"phone": "13012345678"}).status_code == 404


def test_settings(community, staff_client, resident_client):
    url = pf.base(community) + "/settings"
    assert staff_client.get(url).json == {"expiry": "none", "pickup_days": 14}
    assert staff_client.put(url, json={"expiry": "yearly", "pickup_days": 7}).json == {"expiry": "yearly",
                                                                                       "pickup_days": 7}
    assert staff_client.put(url, json={"expiry": "monthly", "pickup_days": 7}).status_code == 422
    assert staff_client.put(url, json={"expiry": "none", "pickup_days": 0}).status_code == 422
    assert resident_client.get(url).status_code == 403


def test_pickup_days_set_the_expiry_of_a_redemption(community, staff, staff_client, resident, resident_client):
    staff_client.put(pf.base(community) + "/settings", json={"expiry": "none", "pickup_days": 3})
    pf.give(community, resident, 10)
    r = redeem(resident_client, community, pf.item(community, staff, points_cost=5).id).json
    row = db.session.get(Redemption, r["id"])
    assert timedelta(days=2, hours=23) < row.expires_at - row.created_at <= timedelta(days=3)


def _backdate(txn_id: int, when) -> None:
    from backend.points.models import PointTransaction
    db.session.execute(update(PointTransaction).where(PointTransaction.id == txn_id).values(created_at=when))
    db.session.commit()


def test_yearly_expiry_is_first_in_first_out(community, staff, resident, resident_client, staff_client):
    from backend.points.books import expire_year
    from tests.contacts_factories import at
    staff_client.put(pf.base(community) + "/settings", json={"expiry": "yearly", "pickup_days": 14})
    # The years are counted back from this one: the resident's page reads the real clock.
    year = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).year  # the redemption and expiry are just now
    _backdate(pf.give(community, resident, 100), at(f"{year - 2}-05-01 10:00"))
    _backdate(pf.give(community, resident, 60), at(f"{year - 1}-03-01 10:00"))
    item = pf.item(community, staff, points_cost=30)
    redeem(resident_client, community, item.id)  # spends the oldest points first
    assert expire_year(now=at(f"{year - 1}-12-31 12:00")) == 0  # two years ago's points last until last year's end
    assert expire_year(now=at(f"{year}-01-01 00:30")) == 1
    assert ledger.balance(community.id, resident.id) == 60  # 100 − 30 spent = 70 of the oldest expired
    assert expire_year(now=at(f"{year}-01-02 00:30")) == 0  # once a year
    me = resident_client.get(pf.base(community) + "/me").json
    assert me["balance"] == 60 and me["expiring"] == {"amount": 60, "on": f"{year}-12-31"}
    csv = staff_client.get(pf.base(community) + f"/export/points.csv?year={year}").data.decode("utf-8-sig")
    assert csv.splitlines()[1].endswith(",0,30,70,60")
    assert expire_year(now=at(f"{year + 1}-01-01 00:30")) == 1
    assert ledger.balance(community.id, resident.id) == 0


def test_the_points_csv(community, staff, resident, resident_client, staff_client):
    pf.give(community, resident, 100)
    item = pf.item(community, staff, points_cost=30)
    redeem(resident_client, community, item.id)
    r = staff_client.get(pf.base(community) + "/export/points.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.data.startswith("\ufeff".encode())
    lines = r.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("姓名") and lines[1] == f"{resident.name},{resident.phone},100,30,0,70"
    assert resident_client.get(pf.base(community) + "/export/points.csv").status_code == 403
    assert staff_client.get(pf.base(community) + "/export/points.csv?year=1").status_code == 422


# --- who may call what ---

def test_anonymous_and_other_communities_members_are_kept_out(community, other_community, staff, client,
                                                              make_client):
    base = pf.base(community)
    item = pf.item(community, staff)
    outsider = factories.logged_in(make_client(), factories.create_resident(other_community))
    reads = ["/me", "/me/transactions", "/catalog", f"/catalog/{item.id}", "/redemptions/mine", "/partner/me",
             "/redemptions", "/transactions", "/partners", "/settings", "/export/points.csv"]
    for path in reads:
        assert client.get(base + path).status_code == 401, path
        assert outsider.get(base + path).status_code == 403, path
    r = outsider.post(base + "/redemptions", json={"item_id": item.id}, headers=pf.key())
    assert r.status_code == 403 and stock_of(item) == 10


def test_the_demo_community_has_a_market_a_partner_and_residents_with_points(app):
    from backend.accounts.models import User
    from backend.demo import seed
    from backend.places.models import Community
    from backend.points.demo import PARTNER_PHONE
    seed()
    community = db.session.scalar(select(Community).filter_by(name="幸福里社区"))
    items = db.session.scalars(select(CatalogItem).filter_by(community_id=community.id)).all()
    assert sum(i.kind == "goods" for i in items) == 8 and sum(i.kind == "service" for i in items) == 3
    barber = db.session.scalar(select(User).filter_by(phone=PARTNER_PHONE))
    assert [p.name for p in market_partners(community, barber)] == ["幸福里便民理发店"]
    zhao = db.session.scalar(select(User).filter_by(phone="13900000001"))
    assert ledger.balance(community.id, zhao.id) >= 300  # volunteering may add its own
    assert seed() is False  # a second run adds nothing


def market_partners(community, user):
    from backend.points import partners
    return partners.mine(community.id, user)
