"""Polls as residents see them, and the roll as staff see it."""
from sqlalchemy import case, select

from backend.errors import NotFound
from backend.extensions import db
from backend.places.models import Dwelling
from backend.voting import ballots, results, roll
from backend.voting.models import Poll, RollDwelling, RollOwner, RollUnit
from backend.voting.services import get_poll

SHOWN = ("open", "closed", "withdrawn")


def published(community_id: int, poll_id: int) -> Poll:
    """A poll residents may see: drafts and scheduled polls are staff's own until they open."""
    poll = get_poll(community_id, poll_id)
    if poll.status not in SHOWN:
        raise NotFound("No such poll.")
    return poll


def for_resident(poll: Poll, user) -> Poll:
    if poll.status not in SHOWN:
        raise NotFound("No such poll.")
    # my_vote is None exactly when this user may not vote here: one eligibility check per poll, not three.
    poll.my_vote = ballots.my_vote(poll, user)
    poll.can_vote = poll.my_vote is not None and poll.status == "open"
    poll.results_visible = results.visible_to(poll, user, poll.my_vote)
    return poll


def list_for_resident(community_id: int, user, page: int = 1, per_page: int = 50) -> list[Poll]:
    order = case((Poll.status == "open", 0), else_=1)
    stmt = (select(Poll).where(Poll.community_id == community_id, Poll.status.in_(SHOWN))
            .order_by(order, Poll.closes_at.desc(), Poll.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return [for_resident(p, user) for p in db.session.scalars(stmt)]


def roll_totals(poll: Poll) -> dict:
    if poll.status in ("draft", "scheduled"):
        return roll.preview(poll)
    dwellings = db.session.scalar(select(db.func.count()).select_from(RollDwelling).filter_by(poll_id=poll.id))
    return {"units": poll.roll_heads or 0, "area": str(poll.roll_area) if poll.roll_area is not None else None,
            "dwellings": dwellings if poll.kind == "owners" else None}


def roll_rows(poll: Poll) -> list[dict]:
    """The frozen roll, a row per unit: number, dwellings, area, owners' phones."""
    dwellings: dict[int, list[str]] = {}
    for unit_id, label in db.session.execute(
            select(RollDwelling.unit_id, Dwelling.label).join(Dwelling, Dwelling.id == RollDwelling.dwelling_id)
            .where(RollDwelling.poll_id == poll.id).order_by(Dwelling.label)):
        dwellings.setdefault(unit_id, []).append(label)
    owners: dict[int, list[str]] = {}
    for unit_id, phone in db.session.execute(select(RollOwner.unit_id, RollOwner.phone)
                                             .where(RollOwner.poll_id == poll.id).order_by(RollOwner.phone)):
        owners.setdefault(unit_id, []).append(phone)
    units = db.session.scalars(select(RollUnit).filter_by(poll_id=poll.id).order_by(RollUnit.number))
    return [{"number": u.number, "dwellings": dwellings.get(u.id, []), "area": str(u.area),
             "owners": owners.get(u.id, [])} for u in units]
