"""Test data for points: items, partners and awards written through the services, and the books' check."""
import itertools

from backend.extensions import db
from backend.points import catalog, ledger, partners
from tests import factories

_keys = itertools.count(1)


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/points"


def key(prefix: str = "k") -> dict:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": f"{prefix}-{next(_keys):06d}"}


def give(community, user, amount: int, by=None) -> int:
    """Award points the way volunteering does; returns the transaction id."""
    txn = ledger.award(community.id, user.id, amount, kind="manual", key=f"test-award:{next(_keys)}",
                       memo="测试", by_user_id=by.id if by else None)
    db.session.commit()
    return txn.id


def item(community, staff, kind: str = "goods", title: str = "大米 5kg", points_cost: int = 50,
         stock: int | None = 10, monthly_limit: int | None = None, partner_id: int | None = None):
    return catalog.create_item(community.id, staff, kind, stock=stock if kind == "goods" else stock,
                               title=title, description="", points_cost=points_cost, monthly_limit=monthly_limit,
                               partner_id=partner_id, position=0)


def partner_with_member(community, name: str = "幸福里便民理发店"):
    member = factories.create_resident(community, name="张师傅")
    partner = partners.create(community.id, name=name, category="理发", phone="", address="", description="",
                              active=True)
    partners.add_member(community.id, partner.id, member.phone)
    return partner, member


def books_problems() -> list[str]:
    return ledger.check()
