"""Communities, grids, buildings and dwellings: the places every other domain hangs on."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.accounts.models import Membership, User
from backend.common.naming import natural_key
from backend.common.pagination import paginate
from backend.errors import NotFound, invalid
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, Grid, GridWorker, dwelling_label


def list_communities() -> list[Community]:
    return list(db.session.scalars(select(Community).order_by(Community.id)))


def get_community(community_id: int) -> Community:
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("No such community.")
    return community


def create_community(**fields) -> Community:
    community = Community(**fields)
    db.session.add(community)
    db.session.commit()
    return community


def update_community(community: Community, **fields) -> Community:
    for name, value in fields.items():
        setattr(community, name, value)
    db.session.commit()
    return community


def get_in_community(model, community_id: int, obj_id: int | None, field: str | None = None):
    """A row of this community, or a 404 (or a 422 on `field` when it came in the body)."""
    obj = db.session.get(model, obj_id) if obj_id is not None else None
    if obj is None or obj.community_id != community_id:
        if field:
            raise invalid(field, f"No such {model.__name__.lower()} in this community.")
        raise NotFound(f"No such {model.__name__.lower()}.")
    return obj


def list_grids(community_id: int) -> list[Grid]:
    stmt = select(Grid).filter_by(community_id=community_id).options(selectinload(Grid.workers))
    return list(db.session.scalars(stmt.order_by(Grid.name)))


def save_grid(community_id: int, name: str, grid: Grid | None = None) -> Grid:
    grid = grid or Grid(community_id=community_id)
    grid.name = name
    db.session.add(grid)
    db.session.commit()
    return grid


def delete_row(row) -> None:
    db.session.delete(row)
    db.session.commit()


def set_grid_workers(grid: Grid, user_ids: list[int]) -> Grid:
    staff_ids = set(db.session.scalars(select(Membership.user_id).filter_by(
        community_id=grid.community_id, role="staff").where(Membership.user_id.in_(user_ids))))
    if missing := set(user_ids) - staff_ids:
        raise invalid("user_ids", f"Not staff of this community: {sorted(missing)}.")
    grid.workers = [GridWorker(community_id=grid.community_id, user_id=uid) for uid in sorted(staff_ids)]
    db.session.commit()
    return grid


def list_buildings(community_id: int) -> list[Building]:
    stmt = select(Building).filter_by(community_id=community_id)
    return sorted(db.session.scalars(stmt), key=lambda b: (natural_key(b.name), b.id))


def save_building(community_id: int, name: str, grid_id: int | None, building: Building | None = None):
    building = building or Building(community_id=community_id)
    if grid_id is not None:
        get_in_community(Grid, community_id, grid_id, "grid_id")
    building.name, building.grid_id = name, grid_id
    db.session.add(building)
    db.session.commit()
    return building


def _dwellings(community_id: int, building_id: int | None = None):
    stmt = select(Dwelling).filter_by(community_id=community_id)
    if building_id is not None:
        stmt = stmt.filter_by(building_id=building_id)
    return stmt.order_by(Dwelling.building_id, Dwelling.unit, Dwelling.room, Dwelling.id)


def list_dwellings(community_id: int, building_id: int) -> list[Dwelling]:
    """One building's dwellings (tens, not thousands), for the picker."""
    return list(db.session.scalars(_dwellings(community_id, building_id)))


def page_dwellings(community_id: int, building_id: int | None = None, page: int = 1, per_page: int = 50) -> dict:
    """A page of the community's dwellings with their registered owners, for staff."""
    stmt = _dwellings(community_id, building_id).options(selectinload(Dwelling.owners))
    return paginate(stmt, page, per_page)


def save_dwelling(community_id: int, building_id: int, unit: str, room: str, floor_area,
                  dwelling: Dwelling | None = None) -> Dwelling:
    building = get_in_community(Building, community_id, building_id, "building_id")
    dwelling = dwelling or Dwelling(community_id=community_id)
    dwelling.building, dwelling.unit, dwelling.room = building, unit, room
    dwelling.floor_area, dwelling.label = floor_area, dwelling_label(building.name, unit, room)
    db.session.add(dwelling)
    db.session.commit()
    return dwelling


def list_staff(community_id: int) -> list[Membership]:
    stmt = (select(Membership).join(User).filter(Membership.community_id == community_id,
                                                 Membership.role == "staff").order_by(User.name))
    return list(db.session.scalars(stmt))
