"""Who a notice is for: places (everyone, grids, buildings) narrowed by roles (owners, ...)."""
from collections.abc import Callable

from sqlalchemy import ColumnElement, func, or_, select

from backend.accounts.models import Residency, User
from backend.errors import invalid
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, Grid

# A role is a condition on a verified residency. Volunteers (or any later role) add an entry here,
# e.g. lambda community_id: Residency.user_id.in_(select(Volunteer.user_id).filter_by(...)).
ROLES: dict[str, Callable[[int], ColumnElement[bool]]] = {
    "owner": lambda community_id: Residency.relation == "owner",
    "volunteer": lambda community_id: _volunteers(community_id),
}


def _volunteers(community_id: int) -> ColumnElement[bool]:
    from backend.volunteering.models import Volunteer  # the notices do not depend on volunteering to load
    return Residency.user_id.in_(select(Volunteer.user_id).filter_by(community_id=community_id,
                                                                     status="approved"))


def check(community_id: int, audience: dict, field: str = "audience") -> dict:
    """The audience, complete, with its grids and buildings proven to be this community's."""
    audience = {"everyone": False, "grid_ids": [], "building_ids": [], "roles": [], **audience}
    for key, model in (("grid_ids", Grid), ("building_ids", Building)):
        ids = set(audience.get(key) or [])
        found = set(db.session.scalars(select(model.id).where(model.id.in_(ids),
                                                              model.community_id == community_id)))
        if missing := ids - found:
            raise invalid(f"{field}.{key}", f"Not in this community: {sorted(missing)}.")
    return audience


def lock_addressing(community_id: int) -> None:
    """Publishing a notice and verifying a resident take turns in a community, so that each then reads what
    the other committed and a newcomer cannot fall between the two. (PostgreSQL: FOR NO KEY UPDATE, which
    leaves inserts referring to the community free; SQLite writes one at a time anyway.)"""
    db.session.execute(select(Community.id).where(Community.id == community_id).with_for_update(key_share=True))


def _place_filter(audience: dict) -> ColumnElement[bool] | None:
    if audience.get("everyone"):
        return None
    grids, buildings = audience.get("grid_ids") or [], audience.get("building_ids") or []
    if not (grids or buildings):
        return None  # roles alone: that role across the whole community
    return Building.grid_id.in_(grids) | Building.id.in_(buildings)


def _residencies(community_id: int):
    return (select(Residency.user_id, Residency.dwelling_id, Building.grid_id)
            .join(Dwelling, Dwelling.id == Residency.dwelling_id)
            .join(Building, Building.id == Dwelling.building_id)
            .join(User, User.id == Residency.user_id)
            .where(Residency.community_id == community_id, Residency.status == "verified", User.active)
            .order_by(Residency.user_id, Residency.dwelling_id))


def _addressed(community_id: int, audience: dict):
    stmt = _residencies(community_id)
    if (place := _place_filter(audience)) is not None:
        stmt = stmt.where(place)
    if roles := audience.get("roles"):
        conditions = [ROLES[role](community_id) for role in roles]
        stmt = stmt.where(or_(*conditions))
    return stmt


def resolve(community_id: int, audience: dict, user_id: int | None = None, after: int = 0,
            limit: int | None = None) -> list[tuple[int, int, int | None]]:
    """(user_id, dwelling_id, grid_id) for every addressed resident (or just `user_id`), one row per person;
    or a chunk of them: those with ids above `after`, `limit` rows of residency at most (someone whose
    second home falls past the limit is whole all the same: the first row is the one kept)."""
    stmt = _addressed(community_id, audience)
    if user_id is not None:
        stmt = stmt.where(Residency.user_id == user_id)
    if after:
        stmt = stmt.where(Residency.user_id > after)
    seen: dict[int, tuple[int, int, int | None]] = {}
    for user_id, dwelling_id, grid_id in db.session.execute(stmt.limit(limit)):
        seen.setdefault(user_id, (user_id, dwelling_id, grid_id))
    return list(seen.values())


def count(community_id: int, audience: dict) -> int:
    """How many residents `resolve` would give."""
    people = _addressed(community_id, audience).with_only_columns(Residency.user_id).distinct().order_by(None)
    return db.session.scalar(select(func.count()).select_from(people.subquery())) or 0


def matcher(community_id: int, user_id: int, audiences: list[dict]) -> Callable[[dict], tuple[int, int | None] | None]:
    """Match many audiences against one resident with a query per role, not one per audience.

    The match gives (dwelling_id, grid_id) of the first residency that fits, as `resolve` does."""
    mine = _residencies(community_id).where(Residency.user_id == user_id)
    homes = db.session.execute(mine.with_only_columns(Residency.dwelling_id, Building.grid_id, Building.id)).all()
    roles = {role for a in audiences for role in a.get("roles") or []}
    with_role = {role: set(db.session.scalars(
        mine.where(ROLES[role](community_id)).with_only_columns(Residency.dwelling_id))) for role in roles}

    def match(audience: dict) -> tuple[int, int | None] | None:
        grids, buildings = set(audience.get("grid_ids") or []), set(audience.get("building_ids") or [])
        anywhere = audience.get("everyone") or not (grids or buildings)
        wanted = audience.get("roles") or []
        for dwelling_id, grid_id, building_id in homes:
            placed = anywhere or grid_id in grids or building_id in buildings
            if placed and (not wanted or any(dwelling_id in with_role[r] for r in wanted)):
                return dwelling_id, grid_id
        return None
    return match
