"""Who may vote: the roll of an owners' decision (frozen when it opens), and each voter's key."""
from decimal import Decimal

from sqlalchemy import delete, func, insert, select

from backend.accounts.models import Residency, User
from backend.errors import Forbidden
from backend.extensions import db
from backend.notices import audience as audiences
from backend.places.models import Building, Dwelling, DwellingOwner
from backend.voting import tally
from backend.voting.models import Participation, Poll, RollDwelling, RollOwner, RollUnit


def audience_of(poll: Poll) -> dict:
    return {**poll.scope, "roles": ["owner"] if poll.owners_only else []}


def _dwellings_in_scope(poll: Poll):
    stmt = (select(Dwelling.id, Dwelling.floor_area, Dwelling.building_id, Dwelling.label)
            .join(Building, Building.id == Dwelling.building_id).where(Dwelling.community_id == poll.community_id))
    if not poll.scope.get("everyone"):
        grids, buildings = poll.scope.get("grid_ids") or [], poll.scope.get("building_ids") or []
        stmt = stmt.where(Building.grid_id.in_(grids) | Building.id.in_(buildings))
    return db.session.execute(stmt.order_by(Dwelling.id)).all()


def _owners_on_record(community_id: int, dwelling_ids: list[int]) -> list[tuple[int, str]]:
    """Owners by phone: the housing register and the verified owners who live there."""
    registered = select(DwellingOwner.dwelling_id, DwellingOwner.phone).where(
        DwellingOwner.community_id == community_id)
    verified = (select(Residency.dwelling_id, User.phone).join(User, User.id == Residency.user_id)
                .where(Residency.community_id == community_id, Residency.status == "verified",
                       Residency.relation == "owner"))
    wanted = set(dwelling_ids)
    return [(d, p) for d, p in db.session.execute(registered.union(verified)) if d in wanted]


def compute_units(poll: Poll) -> tuple[list[tally.Unit], dict[int, tuple]]:
    dwellings = _dwellings_in_scope(poll)
    by_id = {d.id: d for d in dwellings}
    units = tally.build_units([(d.id, d.floor_area) for d in dwellings],
                              _owners_on_record(poll.community_id, list(by_id)))
    return units, by_id


def preview(poll: Poll) -> dict:
    """The totals the poll would freeze if it opened now."""
    if poll.kind != "owners":
        return {"units": eligible_count(poll), "area": None, "dwellings": None}
    units, by_id = compute_units(poll)
    return {"units": len(units), "area": str(sum((u.area for u in units), Decimal("0.00"))), "dwellings": len(by_id)}


def _label(unit: tally.Unit, by_id: dict) -> str:
    first = by_id[unit.dwelling_ids[0]].label
    return first if len(unit.dwelling_ids) == 1 else f"{first} 等{len(unit.dwelling_ids)}户"


def freeze(poll: Poll) -> None:
    """Write the roll: units with their area and owners, so later imports cannot move the totals."""
    if poll.kind != "owners":
        poll.roll_heads = eligible_count(poll)
        return
    for model in (RollOwner, RollDwelling, RollUnit):
        db.session.execute(delete(model).where(model.poll_id == poll.id))
    units, by_id = compute_units(poll)
    poll.roll_heads, poll.roll_area = len(units), sum((u.area for u in units), Decimal("0.00"))
    if not units:
        return
    cid = poll.community_id
    rows = [{"community_id": cid, "poll_id": poll.id, "number": n, "area": u.area, "label": _label(u, by_id)}
            for n, u in enumerate(units, 1)]
    ids = list(db.session.scalars(insert(RollUnit).returning(RollUnit.id, sort_by_parameter_order=True), rows))
    db.session.execute(insert(RollDwelling), [
        {"community_id": cid, "poll_id": poll.id, "dwelling_id": d, "unit_id": uid,
         "building_id": by_id[d].building_id} for uid, u in zip(ids, units) for d in u.dwelling_ids])
    owners = [{"community_id": cid, "poll_id": poll.id, "phone": p, "unit_id": uid}
              for uid, u in zip(ids, units) for p in u.owners]
    if owners:
        db.session.execute(insert(RollOwner), owners)


def eligible_count(poll: Poll) -> int:
    """People who may vote, or homes in scope when the poll counts homes (those without a phone included)."""
    if poll.counting == "dwelling":
        return len(_dwellings_in_scope(poll))
    return len(audiences.resolve(poll.community_id, audience_of(poll)))


def homes_in_scope(poll: Poll) -> list[tuple[str, str]]:
    """(voter key, label) of every home a per-home poll counts: one paper slip each."""
    return [(f"dwelling:{d.id}", d.label) for d in _dwellings_in_scope(poll)]


def voter_for(poll: Poll, user) -> tuple[str, int | None, Decimal | None]:
    """(voter key, building, weight) of this user in this poll, or 403 not_eligible."""
    if poll.kind == "owners":
        found = _unit_of(poll, user)
        if found is None:
            raise Forbidden("Only owners of the dwellings in this vote's scope may vote.", "not_eligible")
        unit_id, area, building_id = found
        return f"unit:{unit_id}", building_id, area
    rows = audiences.resolve(poll.community_id, audience_of(poll), user.id)
    if not rows:
        raise Forbidden("This poll is not open to you.", "not_eligible")
    _, dwelling_id, _ = rows[0]
    building_id = db.session.scalar(select(Dwelling.building_id).where(Dwelling.id == dwelling_id))
    key = f"dwelling:{dwelling_id}" if poll.counting == "dwelling" else f"user:{user.id}"
    return key, building_id, None


def _unit_of(poll: Poll, user) -> tuple[int, Decimal, int] | None:
    """(unit, its area, building) of the unit this user owns: by the home they live in, else by phone."""
    lives = select(Residency.dwelling_id).where(Residency.user_id == user.id, Residency.status == "verified",
                                                Residency.relation == "owner")
    by_home = (select(RollUnit.id, RollUnit.area, RollDwelling.building_id)
               .join(RollDwelling, RollDwelling.unit_id == RollUnit.id)
               .where(RollDwelling.poll_id == poll.id, RollDwelling.dwelling_id.in_(lives)))
    row = db.session.execute(by_home.limit(1)).first()
    if row is None and _is_verified_resident(poll.community_id, user.id):
        row = db.session.execute(
            select(RollUnit.id, RollUnit.area, func.min(RollDwelling.building_id))
            .join(RollOwner, RollOwner.unit_id == RollUnit.id).join(RollDwelling, RollDwelling.unit_id == RollUnit.id)
            .where(RollOwner.poll_id == poll.id, RollOwner.phone == user.phone)
            .group_by(RollUnit.id, RollUnit.area).limit(1)).first()
    return tuple(row) if row else None


def _is_verified_resident(community_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Residency.id).where(
        Residency.user_id == user_id, Residency.community_id == community_id,
        Residency.status == "verified").limit(1)) is not None


def unit_for_key(poll: Poll, voter_key: str) -> tuple[int | None, Decimal | None]:
    """(building, weight) of a voter key, for ballots entered by staff."""
    kind, _, ident = voter_key.partition(":")
    if kind == "unit":
        unit = db.session.get(RollUnit, int(ident))
        building = db.session.scalar(select(func.min(RollDwelling.building_id)).where(
            RollDwelling.unit_id == unit.id))
        return building, unit.area
    if kind == "dwelling":
        return db.session.scalar(select(Dwelling.building_id).where(Dwelling.id == int(ident))), None
    return None, None


def has_voted(poll: Poll, voter_key: str) -> Participation | None:
    return db.session.scalar(select(Participation).filter_by(poll_id=poll.id, voter_key=voter_key))


def eligible_users(poll: Poll) -> list[tuple[int, str]]:
    """(user, voter key) of everyone who may vote online now: whom to tell and whom to remind."""
    if poll.kind != "owners":
        rows = audiences.resolve(poll.community_id, audience_of(poll))
        return [(u, f"dwelling:{d}" if poll.counting == "dwelling" else f"user:{u}") for u, d, _ in rows]
    by_home = (select(Residency.user_id, RollDwelling.unit_id)
               .join(RollDwelling, RollDwelling.dwelling_id == Residency.dwelling_id)
               .where(RollDwelling.poll_id == poll.id, Residency.status == "verified",
                      Residency.relation == "owner"))
    residents = select(Residency.user_id).where(Residency.community_id == poll.community_id,
                                                Residency.status == "verified")
    by_phone = (select(User.id, RollOwner.unit_id).join(RollOwner, RollOwner.phone == User.phone)
                .where(RollOwner.poll_id == poll.id, User.id.in_(residents)))
    found: dict[int, str] = {}
    for user_id, unit_id in db.session.execute(by_home.union(by_phone)):
        found.setdefault(user_id, f"unit:{unit_id}")
    return sorted(found.items())


def not_voted(poll: Poll) -> list[int]:
    voted = set(db.session.scalars(select(Participation.voter_key).filter_by(poll_id=poll.id)))
    return [user_id for user_id, key in eligible_users(poll) if key not in voted]
