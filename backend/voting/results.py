"""Counting: options, turnout, Art. 278's four ratios, and who may see them when."""
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from backend.accounts.models import User
from backend.common.models import utcnow
from backend.common.naming import natural_key
from backend.errors import Forbidden
from backend.extensions import db
from backend.places.models import Building, Community
from backend.voting import ballots, roll, tally
from backend.voting.models import Ballot, OpenVote, Participation, Poll


def visible_to(poll: Poll, user, mine: dict | None = None) -> bool:
    """Results show live, once I (or my home or unit) voted, or after close; a withdrawn poll shows none.

    `mine`: my vote (ballots.my_vote) when the caller has it already."""
    if poll.status == "closed":
        return True
    if poll.status != "open" or poll.results == "after_close":
        return False
    if poll.results == "live":
        return True
    mine = mine if mine is not None else ballots.my_vote(poll, user)
    return bool(mine and mine.get("voted"))


def require_visible(poll: Poll, user) -> None:
    if not visible_to(poll, user):
        raise Forbidden("The results are not shown yet.", "results_hidden")


def turnout(poll: Poll) -> dict:
    """How many have voted, by building and channel: staff see it live whatever the poll shows."""
    stmt = (select(Participation.building_id, Building.name, Participation.channel, func.count())
            .outerjoin(Building, Building.id == Participation.building_id)
            .where(Participation.poll_id == poll.id, Participation.void.is_(False))
            .group_by(Participation.building_id, Building.name, Participation.channel))
    buildings: dict = defaultdict(lambda: {"voters": 0, "online": 0, "paper": 0, "proxy": 0})
    for building_id, name, channel, count in db.session.execute(stmt):
        row = buildings[(building_id, name or "")]
        row["voters"] += count
        row[channel] += count
    rows = [{"building_id": b, "building": name, **v}
            for (b, name), v in sorted(buildings.items(), key=lambda item: (natural_key(item[0][1]), str(item[0][0])))]
    voters = sum(r["voters"] for r in rows)
    eligible = poll.roll_heads if poll.roll_heads is not None else roll.eligible_count(poll)
    return {"voters": voters, "eligible": eligible, "buildings": rows}


def _ballots(poll: Poll):
    stmt = (select(Ballot.choices, Ballot.area, Ballot.channel, Building.name)
            .outerjoin(Building, Building.id == Ballot.building_id)
            .where(Ballot.poll_id == poll.id, Ballot.void.is_(False)))
    return db.session.execute(stmt).all()


def count(poll: Poll) -> dict:
    """The result sheet: per option, per building and channel, the turnout and, for owners, the decision."""
    rows = _ballots(poll)
    options = {o.id: {"id": o.id, "label": o.label, "meaning": o.meaning, "votes": 0, "area": Decimal("0.00")}
               for o in poll.options}
    by_place: dict = defaultdict(lambda: {"votes": 0, "area": Decimal("0.00")})
    for choices, area, channel, building in rows:
        for option_id in choices:
            for bucket in (options[option_id], by_place[(building or "", channel, option_id)]):
                bucket["votes"] += 1
                bucket["area"] += area or 0
    owners = poll.kind == "owners"
    sheet = {"poll": _poll_info(poll), "generated_at": utcnow().isoformat(),
             "options": [{**o, "area": str(o["area"]) if owners else None} for o in options.values()],
             "rows": [{"building": b, "channel": c, "option_id": o, "votes": v["votes"],
                       "area": str(v["area"]) if owners else None} for (b, c, o), v in sorted(by_place.items())],
             "turnout": _turnout_totals(poll, rows), "owners": None, "named": None}
    if not poll.secret:
        sheet["named"] = named(poll)
    if owners:
        meaning = {o.id: o.meaning for o in poll.options}
        decision = tally.decide(poll.matter, poll.roll_area or Decimal("0"), poll.roll_heads or 0,
                                [(meaning[c[0]], a or Decimal("0")) for c, a, _, _ in rows])
        sheet["owners"] = tally.as_dict(decision)
    return sheet


def _turnout_totals(poll: Poll, rows) -> dict:
    eligible = poll.roll_heads if poll.roll_heads is not None else roll.eligible_count(poll)
    voted_area = sum((a or Decimal("0") for _, a, _, _ in rows), Decimal("0.00"))
    owners = poll.kind == "owners"
    return {"voters": len(rows), "eligible": eligible, "area": str(voted_area) if owners else None,
            "total_area": str(poll.roll_area) if owners and poll.roll_area is not None else None}


def _poll_info(poll: Poll) -> dict:
    community = db.session.get(Community, poll.community_id)
    return {"id": poll.id, "title": poll.title, "kind": poll.kind, "matter": poll.matter, "status": poll.status,
            "secret": poll.secret, "opens_at": (poll.opened_at or poll.opens_at or utcnow()).isoformat(),
            "closes_at": (poll.closed_at or poll.closes_at).isoformat(), "community": community.name,
            "timezone": community.timezone}


def receipts(poll: Poll, page: int = 1, per_page: int = 100) -> list[dict]:
    """After close, every ballot by its receipt's hash: a voter finds theirs, anyone can recount."""
    if poll.status != "closed":
        raise Forbidden("Receipts are published when the poll closes.", "results_hidden")
    stmt = (select(Ballot.receipt_hash, Ballot.choices).where(Ballot.poll_id == poll.id, Ballot.void.is_(False))
            .order_by(Ballot.receipt_hash).offset((page - 1) * per_page).limit(per_page))
    return [{"receipt_hash": h, "choices": c} for h, c in db.session.execute(stmt)]


def named(poll: Poll) -> list[dict]:
    """An open poll's ballots with the names beside them: who voted (or whom staff voted for), and how."""
    stmt = (select(User.name, Participation.channel, Participation.voter_key, Ballot.choices)
            .select_from(Participation).join(OpenVote, OpenVote.participation_id == Participation.id)
            .join(Ballot, Ballot.id == OpenVote.ballot_id).outerjoin(User, User.id == Participation.user_id)
            .where(Participation.poll_id == poll.id, Participation.void.is_(False))
            .order_by(Participation.cast_at, Participation.id))
    return [{"name": name or "", "channel": channel, "choices": choices}
            for name, channel, _, choices in db.session.execute(stmt)]
