"""Facility types and facilities: saving them (and their search entries), finding them, open now, near me."""
import functools
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import load_only

from backend import search
from backend.accounts.models import Membership
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.facilities import geo
from backend.facilities.hours import open_state_this_minute
from backend.facilities.models import Facility, FacilityType
from backend.places.models import Community
from backend.places.services import get_community, get_in_community

KIND = "facility"


def list_types(community_id: int) -> list[FacilityType]:
    stmt = select(FacilityType).filter_by(community_id=community_id).order_by(FacilityType.position,
                                                                               FacilityType.id)
    return list(db.session.scalars(stmt))


def save_type(community_id: int, name: str, icon: str, position: int, ftype: FacilityType | None = None):
    ftype = ftype or FacilityType(community_id=community_id)
    renamed = ftype.id is not None and ftype.name != name
    ftype.name, ftype.icon, ftype.position = name, icon, position
    db.session.add(ftype)
    db.session.flush()
    if renamed:
        for facility in db.session.scalars(select(Facility).filter_by(type_id=ftype.id)):
            index_facility(facility)
    db.session.commit()
    return ftype


def delete_type(ftype: FacilityType) -> None:
    if db.session.scalar(select(func.count()).select_from(Facility).filter_by(type_id=ftype.id)):
        raise Conflict("Facilities of this type exist; move or remove them first.", "type_in_use")
    db.session.delete(ftype)
    db.session.commit()


def index_facility(facility: Facility) -> None:
    search.index(facility.community_id, KIND, facility.id, title=facility.name, tags=[facility.type.name],
                 body=[facility.address, facility.description])


def _check_staff(community_id: int, user_id: int | None) -> None:
    if user_id is not None and not db.session.scalar(
            select(Membership.id).filter_by(community_id=community_id, user_id=user_id, role="staff")):
        raise invalid("staff_user_id", "Not staff of this community.")


def save_facility(community_id: int, facility: Facility | None = None, **fields) -> Facility:
    ftype = get_in_community(FacilityType, community_id, fields["type_id"], "type_id")
    _check_staff(community_id, fields["staff_user_id"])
    facility = facility or Facility(community_id=community_id)
    for name, value in fields.items():
        setattr(facility, name, value)
    facility.type = ftype
    db.session.add(facility)
    db.session.flush()
    index_facility(facility)
    db.session.commit()
    return with_state(get_community(community_id).timezone, [facility])[0]


def delete_facility(facility: Facility) -> None:
    search.remove(facility.community_id, KIND, facility.id)
    db.session.delete(facility)
    db.session.commit()


def with_state(tz_name: str, facilities: list[Facility], now: datetime | None = None) -> list[Facility]:
    """Attach the open/closed state the schemas show."""
    now = now or utcnow()
    for f in facilities:
        f.state = open_state_this_minute(f.hours or {}, f.exceptions or [], tz_name, now)
    return facilities


def get_facility(community_id: int, facility_id: int) -> Facility:
    facility = get_in_community(Facility, community_id, facility_id)
    return with_state(get_community(community_id).timezone, [facility])[0]


def _filter_near(stmt, lat: float, lng: float, radius: int):
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
    return stmt.where(Facility.latitude.between(min_lat, max_lat), Facility.longitude.between(min_lng, max_lng))


@functools.cache
def _in_order():
    """The community's facilities in the order shown, built once (the other filters narrow it)."""
    return (select(Facility.id, Facility.latitude, Facility.longitude).join(Facility.type)
            .where(Facility.community_id == bindparam("community_id"))
            .order_by(FacilityType.position, Facility.type_id, Facility.name, Facility.id))


@functools.cache
def _brief_rows():
    """The facilities of a list with what the list shows: not their descriptions, photos or staff."""
    shown = load_only(Facility.type_id, Facility.name, Facility.address, Facility.latitude, Facility.longitude,
                      Facility.phone, Facility.accessibility, Facility.hours, Facility.exceptions)
    return select(Facility).options(shown).where(Facility.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _timezone_query():
    return select(Community.timezone).where(Community.id == bindparam("community_id"))


def _timezone(community_id: int) -> str:
    tz = db.session.scalar(_timezone_query(), {"community_id": community_id})
    if tz is None:
        raise NotFound("No such community.")
    return tz


def _ordered_ids(community_id: int, ranked: list[int] | None, type_id: int | None,
                 near: tuple[float, float, int] | None) -> list[tuple[int, int | None]]:
    """(id, distance) of the matching facilities, in the order shown: nearest, best match, or by type."""
    stmt = _in_order()
    if ranked is not None:
        stmt = stmt.where(Facility.id.in_(ranked))
    if type_id is not None:
        stmt = stmt.where(Facility.type_id == type_id)
    if near is None:
        rows = [(fid, None) for fid, _, _ in db.session.execute(stmt, {"community_id": community_id})]
        if ranked is not None:
            order = {fid: n for n, fid in enumerate(ranked)}
            rows.sort(key=lambda r: order[r[0]])
        return rows
    lat, lng, radius = near
    rows = [(fid, round(geo.haversine_m(lat, lng, a, b))) for fid, a, b in db.session.execute(
        _filter_near(stmt, lat, lng, radius), {"community_id": community_id})]
    return sorted(((fid, d) for fid, d in rows if d <= radius), key=lambda r: (r[1], r[0]))


def find_facilities(community_id: int, q: str | None = None, type_id: int | None = None,
                    open_now: bool | None = None, lat: float | None = None, lng: float | None = None,
                    radius: int = 3000, limit: int = 100, now: datetime | None = None) -> list[Facility]:
    """By text, type, open now and distance: nearest first given a point, else best match, else by type."""
    tz = _timezone(community_id)
    ranked = search.ranked_ids(community_id, q, KIND) if q else None
    order = _ordered_ids(community_id, ranked, type_id, (lat, lng, radius) if lat is not None else None)
    if open_now is None:  # only the rows shown need loading
        order = order[:limit]
    loaded = {f.id: f for f in db.session.scalars(_brief_rows(), {"ids": [i for i, _ in order]})}
    rows = []
    for fid, distance in order:
        loaded[fid].distance_m = distance
        rows.append(loaded[fid])
    rows = with_state(tz, rows, now)
    if open_now is not None:
        rows = [f for f in rows if bool(f.state.open_now) == open_now]
    return rows[:limit]
