"""Facility types and facilities: saving them (and their search entries), finding them, open now, near me."""
import functools
import json
from datetime import datetime

from sqlalchemy import Integer, Text, bindparam, cast, func, select

from backend import search
from backend.accounts.models import Membership
from backend.common.db import fetch
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.facilities import geo
from backend.facilities.hours import open_state, open_state_this_minute
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
        f.state = open_state(f.hours or {}, f.exceptions or [], tz_name, now)
    return facilities


def get_facility(community_id: int, facility_id: int) -> Facility:
    facility = get_in_community(Facility, community_id, facility_id)
    return with_state(get_community(community_id).timezone, [facility])[0]


def _filter_near(stmt, lat: float, lng: float, radius: int):
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
    return stmt.where(Facility.latitude.between(min_lat, max_lat), Facility.longitude.between(min_lng, max_lng))


@functools.cache
def _listed(limited: bool):
    """The community's facilities as plain rows of what a list shows (not descriptions, photos or staff), their
    type's and the community's time zone beside them (one statement for the list every open app asks for), in
    the order shown by type (the other filters narrow it)."""
    # JSON columns as their text: the opening state is remembered by it, and each is parsed only once.
    stmt = (select(Facility.id, Facility.name, Facility.address, Facility.latitude, Facility.longitude,
                   Facility.phone, cast(Facility.accessibility, Text).label("accessibility"),
                   cast(Facility.hours, Text).label("hours"),
                   cast(Facility.exceptions, Text).label("exceptions"),
                   FacilityType.id.label("type_id"), FacilityType.name.label("type_name"), FacilityType.icon,
                   FacilityType.position, Community.timezone)
            .join(FacilityType, FacilityType.id == Facility.type_id)
            .join(Community, Community.id == Facility.community_id)
            .where(Facility.community_id == bindparam("community_id"))
            .order_by(FacilityType.position, Facility.type_id, Facility.name, Facility.id))
    return stmt.limit(bindparam("limit", type_=Integer)) if limited else stmt


@functools.lru_cache(maxsize=1024)
def _parsed(text: str | None):
    return json.loads(text) if text is not None else None


def _shown(row, distance: int | None, tz: str, now: datetime) -> dict:
    """FacilityBriefSchema's dump of a row of `_listed`, built directly: a list of many facilities is asked for
    by every open app, and marshmallow's cost per field was most of its answer (a test holds the two equal)."""
    state = open_state_this_minute(row.hours, row.exceptions, tz, now)
    return {"id": row.id, "name": row.name, "address": row.address, "latitude": row.latitude,
            "longitude": row.longitude, "phone": row.phone, "accessibility": _parsed(row.accessibility),
            "type": {"id": row.type_id, "name": row.type_name, "icon": row.icon, "position": row.position},
            "state": state.shown, "distance_m": distance}


@functools.cache
def _timezone_query():
    return select(Community.timezone).where(Community.id == bindparam("community_id"))


def _timezone(community_id: int) -> str:
    found = fetch(_timezone_query(), {"community_id": community_id})
    if not found:
        raise NotFound("No such community.")
    return found[0][0]


def _ordered(rows, ranked: list[int] | None, near: tuple[float, float, int] | None) -> list[tuple]:
    """(row, distance) of the matching facilities, in the order shown: nearest, best match, or by type."""
    if near is not None:
        lat, lng, radius = near
        found = [(row, round(geo.haversine_m(lat, lng, row.latitude, row.longitude))) for row in rows]
        return sorted(((row, d) for row, d in found if d <= radius), key=lambda r: (r[1], r[0].id))
    if ranked is not None:
        order = {fid: n for n, fid in enumerate(ranked)}
        return sorted(((row, None) for row in rows), key=lambda r: order[r[0].id])
    return [(row, None) for row in rows]


def find_facilities(community_id: int, q: str | None = None, type_id: int | None = None,
                    open_now: bool | None = None, lat: float | None = None, lng: float | None = None,
                    radius: int = 3000, limit: int = 100, now: datetime | None = None) -> list[dict]:
    """By text, type, open now and distance: nearest first given a point, else best match, else by type;
    dumped as FacilityBriefSchema dumps them."""
    now = now or utcnow()
    ranked = search.ranked_ids(community_id, q, KIND) if q else None
    in_order = ranked is None and lat is None and open_now is None  # then only the rows shown need reading
    stmt = listed = _listed(in_order)
    if ranked is not None:
        stmt = stmt.where(Facility.id.in_(ranked))
    if type_id is not None:
        stmt = stmt.where(Facility.type_id == type_id)
    if lat is not None:
        stmt = _filter_near(stmt, lat, lng, radius)
    params = {"community_id": community_id, "limit": limit}
    rows = fetch(stmt, params) if stmt is listed else db.session.connection().execute(stmt, params).all()
    if not rows:
        _timezone(community_id)  # nothing found, or no such community: 404
        return []
    tz, shown = rows[0].timezone, []
    for row, distance in _ordered(rows, ranked, (lat, lng, radius) if lat is not None else None):
        facility = _shown(row, distance, tz, now)
        if open_now is None or bool(facility["state"]["open_now"]) == open_now:
            shown.append(facility)
        if len(shown) == limit:
            break
    return shown
