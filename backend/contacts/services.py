"""The directory: staff keep profiles; members list, search and open them, and find their grid's workers."""
from datetime import datetime

from sqlalchemy import case, func, select

from backend import search
from backend.accounts.models import Membership, Residency
from backend.contacts import roster
from backend.contacts.models import POSITIONS, Contact, ContactGrid
from backend.errors import NotFound, invalid
from backend.extensions import db
from backend.files import attach
from backend.places.models import Building, Dwelling, Grid
from backend.places.services import get_community
from backend.search.text import index_text

SEARCH_KIND = "contact"
PHOTO_PURPOSE = "contact_photo"
POSITION_ORDER = {code: n for n, code in enumerate(POSITIONS)}


def _index(contact: Contact) -> None:
    """Visible profiles are searchable by name, position words, tags and title, and what they handle."""
    if contact.visible:
        label, words = POSITIONS[contact.position]
        words = (*words, label, *contact.tags, contact.title)
        search.index(contact.community_id, SEARCH_KIND, contact.id, title=contact.name,
                     tags=dict.fromkeys(words), body=[contact.handles])
    else:
        search.remove(contact.community_id, SEARCH_KIND, contact.id)


def community_tz(community_id: int) -> str:
    return get_community(community_id).timezone


def _sort_key(contact: Contact):
    """On duty first, then the directory's order of positions, then name (by its pinyin)."""
    return not contact.on_duty, POSITION_ORDER[contact.position], index_text(contact.name).pinyin, contact.id


def _visible(community_id: int):
    return select(Contact).where(Contact.community_id == community_id, Contact.visible.is_(True))


def list_contacts(community_id: int, q: str | None = None, position: str | None = None, party: bool | None = None,
                  now: datetime | None = None) -> dict:
    stmt = _visible(community_id)
    if q:
        stmt = stmt.where(Contact.id.in_(search.ranked_ids(community_id, q, SEARCH_KIND)[:500]))
    if position:
        stmt = stmt.where(Contact.position == position)
    if party:
        stmt = stmt.where(Contact.party_areas.is_not(None))
    items = roster.with_duty(list(db.session.scalars(stmt)), community_tz(community_id), now)
    return {"items": sorted(items, key=_sort_key), "total": len(items)}


def get_visible(community_id: int, contact_id: int, now: datetime | None = None) -> Contact:
    contact = db.session.scalar(_visible(community_id).where(Contact.id == contact_id))
    if contact is None:
        raise NotFound("No such contact.")
    tz = community_tz(community_id)
    return roster.with_week(roster.with_duty([contact], tz, now)[0], tz, now)


def my_grid_workers(community_id: int, user, now: datetime | None = None) -> dict:
    """The contacts serving the grids of my verified homes in this community."""
    grids = (select(Building.grid_id).join(Dwelling, Dwelling.building_id == Building.id)
             .join(Residency, Residency.dwelling_id == Dwelling.id)
             .where(Residency.user_id == user.id, Residency.community_id == community_id,
                    Residency.status == "verified", Building.community_id == community_id))
    stmt = _visible(community_id).where(Contact.id.in_(
        select(ContactGrid.contact_id).where(ContactGrid.community_id == community_id,
                                             ContactGrid.grid_id.in_(grids))))
    items = roster.with_duty(list(db.session.scalars(stmt)), community_tz(community_id), now)
    return {"items": sorted(items, key=_sort_key)}


def get_contact(community_id: int, contact_id: int) -> Contact:
    """Any profile of the community, hidden ones too (for staff)."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.community_id != community_id:
        raise NotFound("No such contact.")
    return contact


def list_for_staff(community_id: int, page: int = 1, per_page: int = 50, now: datetime | None = None) -> dict:
    order = case(POSITION_ORDER, value=Contact.position, else_=len(POSITION_ORDER))
    stmt = (select(Contact).filter_by(community_id=community_id)
            .order_by(Contact.visible.desc(), order, Contact.name, Contact.id))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)))
    return {"items": roster.with_duty(items, community_tz(community_id), now), "total": total}


def _grids(community_id: int, ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    found = set(db.session.scalars(select(Grid.id).where(Grid.community_id == community_id, Grid.id.in_(ids))))
    if missing := [i for i in ids if i not in found]:
        raise invalid("grid_ids", f"No such grid in this community: {missing}.")
    return ids


def _check_member(community_id: int, user_id: int) -> None:
    if db.session.scalar(select(Membership.id).filter_by(community_id=community_id, user_id=user_id).limit(1)) is None:
        raise invalid("user_id", "Not a member of this community.")


def _apply(contact: Contact, by, fields: dict) -> None:
    if "grid_ids" in fields:
        ids = _grids(contact.community_id, fields.pop("grid_ids"))
        kept = [link for link in contact.grid_links if link.grid_id in ids]
        have = {link.grid_id for link in kept}
        contact.grid_links = kept + [ContactGrid(community_id=contact.community_id, grid_id=i)
                                     for i in ids if i not in have]
    if fields.get("user_id") is not None:
        _check_member(contact.community_id, fields["user_id"])
    if "photo" in fields:
        photo = fields.pop("photo")
        if photo is not None and photo != contact.photo_id:
            attach(photo, contact.community_id, PHOTO_PURPOSE, by, field="photo")
        contact.photo_id = photo
    if "party" in fields:
        party = fields.pop("party")
        contact.party_areas = list(dict.fromkeys(party["areas"])) if party else None
        contact.party_hours = party.get("hours", "") if party else None
    if "tags" in fields:
        fields["tags"] = list(dict.fromkeys(fields["tags"]))
    for name, value in fields.items():
        setattr(contact, name, value)


def create_contact(community_id: int, by, **fields) -> Contact:
    contact = Contact(community_id=community_id, grid_links=[], spans=[])
    _apply(contact, by, fields)
    db.session.add(contact)
    db.session.flush()
    _index(contact)
    db.session.commit()
    return roster.with_duty([contact], community_tz(community_id))[0]


def update_contact(contact: Contact, by, **fields) -> Contact:
    _apply(contact, by, fields)
    _index(contact)
    db.session.commit()
    return roster.with_duty([contact], community_tz(contact.community_id))[0]
