"""Providers of convenience services: saving them with their services, verifying and suspending them, and
finding them by category, text and distance, with open now and the bookable resource of their services."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from backend import search
from backend.accounts.models import User
from backend.bookings.models import Resource
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.facilities import geo
from backend.facilities.hours import open_state
from backend.files import attach
from backend.places.services import get_community
from backend.providers.models import CATEGORIES, Provider, ProviderService

KIND = "provider"
PHOTO_PURPOSE = "provider_photo"
LICENCE_PURPOSE = "provider_licence"
# Chinese words for each category, so that searching 家政 or 修水管 finds the providers of that kind.
CATEGORY_WORDS = {"housekeeping": "家政 保洁 保姆", "repair": "维修 水电 家电", "locksmith": "开锁 换锁",
                  "meals": "助餐 老年食堂 送餐", "haircut": "理发 美发", "parcels": "快递 代收 驿站",
                  "health": "健康 医疗 护理", "laundry": "洗衣 干洗", "other": "其他"}


def index_provider(provider: Provider) -> None:
    search.index(provider.community_id, KIND, provider.id, title=provider.name,
                 tags=[CATEGORY_WORDS[provider.category], *(s.name for s in provider.services)],
                 body=[provider.description, provider.service_area,
                       *(s.description for s in provider.services)],
                 visible=provider.status == "verified")


def _base(community_id: int):
    return (select(Provider).where(Provider.community_id == community_id)
            .options(selectinload(Provider.services)))


def get_provider(community_id: int, provider_id: int, staff: bool) -> Provider:
    """A provider of the community; residents only find verified ones."""
    provider = db.session.scalar(_base(community_id).where(Provider.id == provider_id))
    if provider is None or (not staff and provider.status != "verified"):
        raise NotFound("No such provider.")
    return provider


def show_provider(community_id: int, provider_id: int, staff: bool) -> Provider:
    return _decorate(community_id, [get_provider(community_id, provider_id, staff)], staff)[0]


def _bookable(community_id: int, provider_ids: list[int]) -> dict[int, int]:
    """provider id → an open resource booking one of its services, for the whole page in one query."""
    rows = db.session.execute(
        select(ProviderService.provider_id, func.min(Resource.id))
        .join(Resource, Resource.provider_service_id == ProviderService.id)
        .where(Resource.community_id == community_id, Resource.status == "open",
               ProviderService.provider_id.in_(provider_ids))
        .group_by(ProviderService.provider_id))
    return dict(rows.all())


def _verifiers(providers: list[Provider]) -> dict[int, dict]:
    ids = {p.verified_by_id for p in providers if p.verified_by_id}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(ids))) if ids else []
    return {uid: {"id": uid, "name": name} for uid, name in rows}


def _decorate(community_id: int, providers: list[Provider], staff: bool, now: datetime | None = None,
              near: tuple[float, float] | None = None) -> list[Provider]:
    """Attach what the schema shows beyond the columns: open now, distance, bookable resource, verifier."""
    if not providers:
        return providers
    tz, now = get_community(community_id).timezone, now or utcnow()
    bookable = _bookable(community_id, [p.id for p in providers])
    verifiers = _verifiers(providers) if staff else {}
    for p in providers:
        p.open_now = open_state(p.hours or {}, [], tz, now).open_now
        p.bookable_resource_id = bookable.get(p.id)
        p.verified_by = verifiers.get(p.verified_by_id)
        p.distance_m = None
        if near and p.latitude is not None and p.longitude is not None:
            p.distance_m = round(geo.haversine_m(near[0], near[1], p.latitude, p.longitude))
    return providers


def list_providers(community_id: int, staff: bool, category: str | None = None, q: str | None = None,
                   lat: float | None = None, lng: float | None = None, status: str | None = None,
                   now: datetime | None = None) -> list[Provider]:
    """Residents: verified ones; staff: all or by status. Nearest first given a point, else best match."""
    get_community(community_id)
    stmt = _base(community_id).order_by(Provider.name, Provider.id)
    if not staff or status:
        stmt = stmt.where(Provider.status == (status if staff else "verified"))
    if category:
        stmt = stmt.where(Provider.category == category)
    ranked = None
    if q:
        ranked = search.ranked_ids(community_id, q, KIND, include_hidden=staff)[:500]
        stmt = stmt.where(Provider.id.in_(ranked))
    rows = list(db.session.scalars(stmt))
    if ranked is not None:
        order = {pid: n for n, pid in enumerate(ranked)}
        rows.sort(key=lambda p: order[p.id])
    near = (lat, lng) if lat is not None and lng is not None else None
    rows = _decorate(community_id, rows, staff, now, near)
    if near:  # those without a location last, in the order they had
        rows.sort(key=lambda p: (p.distance_m is None, p.distance_m or 0))
    return rows


def category_counts(community_id: int) -> list[dict]:
    rows = dict(db.session.execute(
        select(Provider.category, func.count()).where(Provider.community_id == community_id,
                                                      Provider.status == "verified")
        .group_by(Provider.category)).all())
    return [{"key": key, "count": rows.get(key, 0)} for key in CATEGORIES]


def _services(provider: Provider, items: list[dict]) -> None:
    """Replace the list: services named by id are kept (and changed), the others removed, new ones added."""
    current = {s.id: s for s in provider.services}
    kept_ids = [item["id"] for item in items if "id" in item]
    if unknown := [i for i in kept_ids if i not in current]:
        raise invalid("services", f"Not services of this provider: {unknown}.")
    if len(set(kept_ids)) != len(kept_ids):
        raise invalid("services", "A service is listed twice.")
    gone = [s for sid, s in current.items() if sid not in kept_ids]
    if gone and db.session.scalar(select(Resource.id).where(
            Resource.provider_service_id.in_([s.id for s in gone])).limit(1)):
        raise Conflict("A removed service is booked through a resource; unlink the resource first.", "service_in_use")
    for service in gone:
        db.session.delete(service)
    services = []
    for position, item in enumerate(items):
        service = current[item.pop("id")] if "id" in item else ProviderService(community_id=provider.community_id)
        for name, value in item.items():
            setattr(service, name, value)
        service.position = position
        services.append(service)
    provider.services = services


def _files(provider: Provider, by, photos: list[str], licence_file_id: str | None) -> None:
    for file_id in photos:
        if file_id not in (provider.photos or []):
            attach(file_id, provider.community_id, PHOTO_PURPOSE, by, field="photos")
    if licence_file_id is not None and licence_file_id != provider.licence_file_id:
        attach(licence_file_id, provider.community_id, LICENCE_PURPOSE, by, field="licence_file_id")
    provider.photos, provider.licence_file_id = photos, licence_file_id


def save_provider(community_id: int, by, provider: Provider | None = None, *, services: list[dict],
                  photos: list[str], licence_file_id: str | None, **fields) -> Provider:
    provider = provider or Provider(community_id=community_id, services=[], photos=[], status="pending")
    _files(provider, by, photos, licence_file_id)
    for name, value in fields.items():
        setattr(provider, name, value)
    _services(provider, services)
    db.session.add(provider)
    db.session.flush()
    index_provider(provider)
    db.session.commit()
    return _decorate(community_id, [provider], True)[0]


def verify(provider: Provider, by) -> Provider:
    if provider.licence_file_id is None:
        raise Conflict("Upload the provider's licence before verifying it.", "licence_needed")
    provider.status, provider.status_reason = "verified", ""
    provider.verified_by_id, provider.verified_at = by.id, utcnow()
    index_provider(provider)
    db.session.commit()
    return _decorate(provider.community_id, [provider], True)[0]


def suspend(provider: Provider, reason: str) -> Provider:
    provider.status, provider.status_reason = "suspended", reason
    index_provider(provider)
    db.session.commit()
    return _decorate(provider.community_id, [provider], True)[0]
