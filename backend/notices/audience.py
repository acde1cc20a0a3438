"""Who a notice is for: places (everyone, grids, buildings) narrowed by roles (owners, ...)."""
from collections.abc import Callable

from sqlalchemy import ColumnElement, or_, select

from backend.accounts.models import Residency, User
from backend.errors import invalid
from backend.extensions import db
from backend.places.models import Building, Dwelling, Grid

# A role is a condition on a verified residency. Volunteers (or any later role) add an entry here,
# e.g. lambda community_id: Residency.user_id.in_(select(Volunteer.user_id).filter_by(...)).
ROLES: dict[str, Callable[[int], ColumnElement[bool]]] = {
    "owner": lambda community_id: Residency.relation == "owner",
}


def check(community_id: int, audience: dict) -> dict:
    """The audience, complete, with its grids and buildings proven to be this community's."""
    audience = {"everyone": False, "grid_ids": [], "building_ids": [], "roles": [], **audience}
    for field, model in (("grid_ids", Grid), ("building_ids", Building)):
        ids = set(audience.get(field) or [])
        found = set(db.session.scalars(select(model.id).where(model.id.in_(ids),
                                                              model.community_id == community_id)))
        if missing := ids - found:
            raise invalid(f"audience.{field}", f"Not in this community: {sorted(missing)}.")
    return audience


def _place_filter(audience: dict) -> ColumnElement[bool] | None:
    if audience.get("everyone"):
        return None
    grids, buildings = audience.get("grid_ids") or [], audience.get("building_ids") or []
    if not (grids or buildings):
        return None  # roles alone: that role across the whole community
    return Building.grid_id.in_(grids) | Building.id.in_(buildings)


def resolve(community_id: int, audience: dict, user_id: int | None = None) -> list[tuple[int, int, int | None]]:
    """(user_id, dwelling_id, grid_id) for every addressed resident (or just `user_id`), one row per person."""
    stmt = (select(Residency.user_id, Residency.dwelling_id, Building.grid_id)
            .join(Dwelling, Dwelling.id == Residency.dwelling_id)
            .join(Building, Building.id == Dwelling.building_id)
            .join(User, User.id == Residency.user_id)
            .where(Residency.community_id == community_id, Residency.status == "verified", User.active)
            .order_by(Residency.user_id, Residency.dwelling_id))
    if user_id is not None:
        stmt = stmt.where(Residency.user_id == user_id)
    if (place := _place_filter(audience)) is not None:
        stmt = stmt.where(place)
    if roles := audience.get("roles"):
        conditions = [ROLES[role](community_id) for role in roles]
        stmt = stmt.where(or_(*conditions))
    seen: dict[int, tuple[int, int, int | None]] = {}
    for user_id, dwelling_id, grid_id in db.session.execute(stmt):
        seen.setdefault(user_id, (user_id, dwelling_id, grid_id))
    return list(seen.values())

