"""The love supermarket's catalogue: goods with a stock count and partner services, each with a price in
points and perhaps a monthly limit per person."""
from datetime import datetime

from sqlalchemy import func, select, update

from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.files import attach
from backend.points import clock
from backend.points.models import CatalogItem, Partner, Redemption
from backend.points.photos import PHOTO_PURPOSE

COUNTED = ("reserved", "handed_over")  # what uses up a monthly limit
ITEM_FIELDS = ("title", "description", "points_cost", "monthly_limit", "partner_id", "position")


def is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


def get_item(community_id: int, item_id: int, active_only: bool = True) -> CatalogItem:
    item = db.session.scalar(select(CatalogItem).filter_by(community_id=community_id, id=item_id))
    if item is None or (active_only and not item.active):
        raise NotFound("No such item.", "not_found")
    return item


def month_counts(community_id: int, user_id: int, now: datetime | None = None, tz=None,
                 item_id: int | None = None) -> dict[int, int]:
    """Item id → how many this person redeemed this calendar month (cancelled ones do not count);
    `item_id` asks about one item only, `tz` is the community's zone if the caller has it."""
    query = (select(Redemption.item_id, func.sum(Redemption.quantity))
             .where(Redemption.community_id == community_id, Redemption.user_id == user_id,
                    Redemption.status.in_(COUNTED), Redemption.created_at >= clock.month_start(community_id, now, tz))
             .group_by(Redemption.item_id))
    if item_id is not None:
        query = query.where(Redemption.item_id == item_id)
    rows = db.session.execute(query)
    return {item_id: int(total) for item_id, total in rows}


def catalog(community_id: int, user, kind: str | None = None, include_inactive: bool = False) -> list:
    query = select(CatalogItem).filter_by(community_id=community_id)
    if kind:
        query = query.filter_by(kind=kind)
    if not (include_inactive and is_staff(user, community_id)):
        query = query.filter_by(active=True)
    items = list(db.session.scalars(query.order_by(CatalogItem.position, CatalogItem.id)))
    counts = month_counts(community_id, user.id)
    for item in items:
        item.my_month_count = counts.get(item.id, 0)
    return items


def _check_partner(community_id: int, kind: str, partner_id: int | None) -> None:
    """Only a service belongs to a partner (who hands it over and is paid for it); goods are the community's."""
    if partner_id is None:
        return
    if kind != "service":
        raise invalid("partner_id", "Only services belong to a partner; goods are the community's own.")
    if db.session.scalar(select(Partner.id).filter_by(community_id=community_id, id=partner_id)) is None:
        raise invalid("partner_id", "No such partner in this community.")


def partner_of(item: CatalogItem) -> int | None:
    """The partner who hands the item over and is paid for it: services only."""
    return item.partner_id if item.kind == "service" else None


def _set_photo(item: CatalogItem, photo: str | None, user) -> None:
    if photo is not None and photo != item.photo_id:
        attach(photo, item.community_id, PHOTO_PURPOSE, user, field="photo")
    item.photo_id = photo


def create_item(community_id: int, user, kind: str, stock: int | None = None, photo: str | None = None,
                **fields) -> CatalogItem:
    if kind == "goods" and stock is None:
        raise invalid("stock", "Goods need a stock count.")
    _check_partner(community_id, kind, fields.get("partner_id"))
    item = CatalogItem(community_id=community_id, kind=kind, stock=stock, **fields)
    _set_photo(item, photo, user)
    db.session.add(item)
    db.session.commit()
    item.my_month_count = 0
    return item


def update_item(community_id: int, item_id: int, user, photo: str | None = None, active: bool | None = None,
                **fields) -> CatalogItem:
    """PUT: the editable fields as sent replace the item's (the schema makes all but `active` and
    `position` required, so nothing is cleared by leaving it out); its stock changes by `change_stock`."""
    item = get_item(community_id, item_id, active_only=False)
    _check_partner(community_id, item.kind, fields.get("partner_id"))
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    _set_photo(item, photo, user)
    if active is not None:
        item.active = active
    db.session.commit()
    item.my_month_count = month_counts(community_id, user.id).get(item.id, 0)
    return item


def deactivate_item(community_id: int, item_id: int) -> None:
    get_item(community_id, item_id, active_only=False).active = False
    db.session.commit()


def change_stock(community_id: int, item_id: int, user, change: int, reason: str) -> CatalogItem:
    """Restock or correct the count; never below zero, whatever redemptions happen meanwhile."""
    item = get_item(community_id, item_id, active_only=False)
    if item.stock is None:
        raise Conflict("This item keeps no stock count.", "no_stock_kept")
    done = db.session.execute(
        update(CatalogItem).where(CatalogItem.id == item.id, CatalogItem.stock + change >= 0)
        .values(stock=CatalogItem.stock + change).execution_options(synchronize_session=False)).rowcount
    if not done:
        raise Conflict("Stock cannot go below zero.", "stock_below_zero")
    db.session.commit()
    db.session.refresh(item)
    item.my_month_count = month_counts(community_id, user.id).get(item.id, 0)
    return item
