"""Random sequences of awards, redemptions, cancels, handovers and reversals, with the books checked after
every step: entries sum to zero, cached balances equal their entries, nothing negative, stock adds up, and
every balance is what a plain model of the rules says."""
import random

import pytest
from sqlalchemy import func, select

from backend.errors import Conflict
from backend.extensions import db
from backend.points import ledger, market
from backend.points.models import CatalogItem, PointEntry, Redemption
from tests import factories
from tests import points_factories as pf

STEPS = 60


class Model:
    """What the books should say, kept by hand."""

    def __init__(self, users, items):
        self.balance = {u.id: 0 for u in users}
        self.held = {u.id: 0 for u in users}
        self.stock = {i.id: i.stock for i in items}
        self.awards: dict[int, tuple[int, int]] = {}  # transaction id → (user id, amount), not reversed
        self.reserved: dict[int, tuple[int, int, int, int]] = {}  # redemption → (user, item, qty, points)


def _check(community, model: Model, initial_stock: dict[int, int]) -> None:
    assert ledger.check() == []
    assert db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0))) == 0
    for uid, expected in model.balance.items():
        assert ledger.balance(community.id, uid) == expected
        assert ledger.held_balance(community.id, uid) == model.held[uid]
    for item_id, start in initial_stock.items():
        stock = db.session.scalar(select(CatalogItem.stock).filter_by(id=item_id))
        taken = db.session.scalar(select(func.coalesce(func.sum(Redemption.quantity), 0)).where(
            Redemption.item_id == item_id, Redemption.status.in_(("reserved", "handed_over"))))
        assert stock == model.stock[item_id] and stock >= 0 and stock + taken == start


def _award(community, staff, model, rnd, users, items, n):
    user = rnd.choice(users)
    amount = rnd.randint(1, 60)
    txn_id = pf.give(community, user, amount, by=staff)
    model.balance[user.id] += amount
    model.awards[txn_id] = (user.id, amount)


def _redeem(community, staff, model, rnd, users, items, n):
    user, item, qty = rnd.choice(users), rnd.choice(items), rnd.randint(1, 3)
    points = item.points_cost * qty
    try:
        r = market.redeem(community.id, user, item.id, qty, key=f"prop-redeem:{n}")
    except Conflict as err:
        db.session.rollback()
        assert err.code in ("insufficient_points", "out_of_stock", "monthly_limit_reached")
        assert err.code != "insufficient_points" or model.balance[user.id] < points
        assert err.code != "out_of_stock" or model.stock[item.id] < qty
        return
    assert model.balance[user.id] >= points and model.stock[item.id] >= qty
    model.balance[user.id] -= points
    model.held[user.id] += points
    model.stock[item.id] -= qty
    model.reserved[r.id] = (user.id, item.id, qty, points)


def _cancel(community, staff, model, rnd, users, items, n):
    if not model.reserved:
        return
    rid = rnd.choice(sorted(model.reserved))
    uid, item_id, qty, points = model.reserved.pop(rid)
    market.cancel(community.id, rid, staff, key=f"prop-cancel:{n}")
    model.balance[uid] += points
    model.held[uid] -= points
    model.stock[item_id] += qty


def _hand_over(community, staff, model, rnd, users, items, n):
    if not model.reserved:
        return
    rid = rnd.choice(sorted(model.reserved))
    uid, _, _, points = model.reserved.pop(rid)
    market.hand_over(community.id, rid, staff)
    model.held[uid] -= points


def _reverse(community, staff, model, rnd, users, items, n):
    if not model.awards:
        return
    tid = rnd.choice(sorted(model.awards))
    uid, amount = model.awards[tid]
    try:
        ledger.reverse(community.id, tid, key=f"prop-reverse:{n}", memo="", by_user_id=staff.id)
        db.session.commit()
    except Conflict as err:
        db.session.rollback()
        assert err.code == "insufficient_points" and model.balance[uid] < amount
        return
    assert model.balance[uid] >= amount
    model.balance[uid] -= amount
    del model.awards[tid]



OPERATIONS = [_award, _award, _redeem, _redeem, _redeem, _cancel, _hand_over, _reverse]


@pytest.mark.parametrize("seed", range(5))
def test_random_sequences_keep_the_books(community, staff, seed):
    rnd = random.Random(seed)
    users = [factories.create_resident(community) for _ in range(3)]
    items = [pf.item(community, staff, title=f"物品{i}", points_cost=rnd.randint(5, 40), stock=rnd.randint(0, 6),
                     monthly_limit=None) for i in range(3)]
    model = Model(users, items)
    initial = dict(model.stock)
    for n in range(STEPS):
        op = rnd.choice(OPERATIONS)
        op(community, staff, model, rnd, users, items, n)
        _check(community, model, initial)
