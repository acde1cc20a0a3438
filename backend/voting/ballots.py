"""Casting ballots online, from paper codes and by proxy: one per voter key, whatever the channel."""
import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import insert, select, update

from backend.common.db import upsert
from backend.common.models import utcnow
from backend.errors import Conflict, Forbidden, NotFound, invalid
from backend.extensions import db
from backend.files import attach
from backend.voting import roll
from backend.voting.models import Ballot, OpenVote, PaperCode, Participation, Poll, ProxyConsent, RollUnit

SIGNING_CLOCK_SKEW = timedelta(minutes=10)  # a staff phone's clock may run a little ahead
CONSENT_COLLECTED_BEFORE = timedelta(days=90)  # forms signed at the owners' meeting before the poll went online
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: typed from paper by the elderly


def _check_open(poll: Poll) -> None:
    now = utcnow()
    if poll.status != "open" or poll.closes_at <= now:
        raise Conflict("This poll is not open for voting.", "poll_not_open")


def _check_choices(poll: Poll, choices: list[int]) -> list[int]:
    valid = {o.id for o in poll.options}
    chosen = sorted(set(choices))
    if len(chosen) != len(choices) or not set(chosen) <= valid:
        raise invalid("choices", "Choose among this poll's options, each once.")
    if not poll.min_choices <= len(chosen) <= poll.max_choices:
        raise invalid("choices", f"Choose {poll.min_choices} to {poll.max_choices} options.")
    return chosen


def _already_voted(existing: Participation) -> Conflict:
    """Who (of this home or unit), when and how: a paper slip names nobody."""
    by = existing.user.name if existing.user and existing.channel != "paper" else ""
    return Conflict("This vote has already been cast.", "already_voted", {
        "voted_at": [existing.cast_at.isoformat()], "channel": [existing.channel], "by": [by]})


def _record(poll: Poll, key: str, choices: list[int], channel: str, user_id=None, entered_by_id=None,
            building_id=None, area=None) -> dict:
    """One statement claims the voter key: of two ballots for one key, however they came, one counts."""
    now = utcnow()
    claimed = db.session.scalar(
        upsert(Participation).values(community_id=poll.community_id, poll_id=poll.id, voter_key=key,
                                     user_id=user_id, entered_by_id=entered_by_id, channel=channel, cast_at=now,
                                     building_id=building_id, void=False)
        .on_conflict_do_nothing(index_elements=["poll_id", "voter_key"]).returning(Participation.id))
    if claimed is None:
        return _change(poll, key, choices, channel, user_id)
    receipt, ballot_id = secrets.token_hex(8), uuid.uuid4().hex
    db.session.execute(insert(Ballot).values(
        id=ballot_id, community_id=poll.community_id, poll_id=poll.id, choices=choices, area=area, channel=channel,
        building_id=building_id, receipt_hash=receipt_hash(receipt), void=False))
    if not poll.secret:
        db.session.execute(insert(OpenVote).values(community_id=poll.community_id, participation_id=claimed,
                                                   ballot_id=ballot_id))
    return {"receipt": receipt, "voted_at": now, "channel": channel, "changed": False}


def _change(poll: Poll, key: str, choices: list[int], channel: str, user_id) -> dict:
    """An open poll that allows it lets the same voter, online, replace their choices before it closes."""
    existing = roll.has_voted(poll, key)
    mine = existing.channel == "online" == channel and existing.user_id == user_id
    if not (poll.allow_change and not poll.secret and mine):
        raise _already_voted(existing)
    ballot_id = db.session.scalar(select(OpenVote.ballot_id).filter_by(participation_id=existing.id))
    db.session.execute(update(Ballot).where(Ballot.id == ballot_id).values(choices=choices))
    db.session.execute(update(Participation).where(Participation.id == existing.id).values(cast_at=utcnow()))
    return {"receipt": None, "voted_at": utcnow(), "channel": channel, "changed": True}


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.strip().lower().encode()).hexdigest()


def cast_online(poll: Poll, user, choices: list[int]) -> dict:
    _check_open(poll)
    choices = _check_choices(poll, choices)
    key, building_id, area = roll.voter_for(poll, user)
    result = _record(poll, key, choices, "online", user_id=user.id, building_id=building_id, area=area)
    db.session.commit()
    return result


# Paper codes: a slip per unit or home for those without a phone; only a keyed, salted hash is kept.


def _code_hash(salt: str, secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return salt + "$" + hmac.new(key, (salt + secret).encode(), hashlib.sha256).hexdigest()


def _paper_keys(poll: Poll) -> list[tuple[str, str]]:
    """(voter key, label) of every unit (owners' decisions) or home (polls counted by home)."""
    if poll.kind == "owners":
        return [(f"unit:{u.id}", u.label) for u in db.session.scalars(
            select(RollUnit).filter_by(poll_id=poll.id).order_by(RollUnit.number))]
    if poll.counting != "dwelling":
        raise Conflict("Paper codes are for polls counted by home or by owners' unit.", "paper_not_supported")
    return roll.homes_in_scope(poll)


def issue_paper_codes(poll: Poll) -> list[dict]:
    """New codes for every unit or home that has none and has not voted; shown once, to print."""
    if poll.status != "open":
        raise Conflict("Paper codes are issued while the poll is open.", "poll_not_open")
    taken = set(db.session.scalars(select(PaperCode.voter_key).filter_by(poll_id=poll.id)))
    taken |= set(db.session.scalars(select(Participation.voter_key).filter_by(poll_id=poll.id)))
    lookups = set(db.session.scalars(select(PaperCode.lookup).filter_by(poll_id=poll.id)))
    slips = []
    for key, label in _paper_keys(poll):
        if key in taken:
            continue
        lookup = _new_lookup(poll, lookups)
        secret = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        salt = secrets.token_hex(8)
        db.session.add(PaperCode(community_id=poll.community_id, poll_id=poll.id, voter_key=key,
                                 lookup=lookup, code_hash=_code_hash(salt, secret)))
        slips.append({"voter_key": key, "label": label,
                      "code": f"{lookup.split('-')[1]}-{secret[:4]}-{secret[4:]}"})
    db.session.commit()
    return slips


def _new_lookup(poll: Poll, used: set[str]) -> str:
    """A code's first four characters, unique within the poll: thousands of slips draw from a million."""
    while True:
        lookup = f"{poll.id}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if lookup not in used:
            used.add(lookup)
            return lookup


def _paper_code(poll: Poll, code: str) -> PaperCode:
    parts = code.strip().upper().split("-")
    wrong = invalid("code", "This code is wrong or already used.", "code_invalid")
    if len(parts) != 3:
        raise wrong
    row = db.session.scalar(select(PaperCode).filter_by(lookup=f"{poll.id}-{parts[0]}"))
    salt = row.code_hash.split("$")[0] if row else ""
    if row is None or not hmac.compare_digest(row.code_hash, _code_hash(salt, parts[1] + parts[2])):
        raise wrong
    return row


def poll_for_code(poll: Poll, code: str) -> Poll:
    """The poll a paper slip's holder may vote in with its code (valid and not yet used)."""
    _check_open(poll)
    if _paper_code(poll, code).used_at is not None:
        raise invalid("code", "This code is wrong or already used.", "code_invalid")
    return poll


def cast_paper(poll: Poll, code: str, choices: list[int], staff=None) -> dict:
    """A paper ballot: entered by staff from the slip, or online by whoever holds the slip."""
    _check_open(poll)
    choices = _check_choices(poll, choices)
    row = _paper_code(poll, code)
    spent = db.session.execute(update(PaperCode).where(PaperCode.id == row.id, PaperCode.used_at.is_(None))
                               .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not spent:
        raise invalid("code", "This code is wrong or already used.", "code_invalid")
    building_id, area = roll.unit_for_key(poll, row.voter_key)
    result = _record(poll, row.voter_key, choices, "paper", entered_by_id=staff.id if staff else None,
                     building_id=building_id, area=area)
    db.session.commit()
    return result


def cast_proxy(poll: Poll, staff, resident, choices: list[int], witness: str, signed_at, form_ref: str,
               photo: str) -> dict:
    """Staff vote for a resident without a phone, on the consent they signed (its photo uploaded by the same
    staff member, claimed in this transaction): at most one per voter key."""
    _check_open(poll)
    choices = _check_choices(poll, choices)
    if signed_at > utcnow() + SIGNING_CLOCK_SKEW:
        raise invalid("signed_at", "A consent cannot be signed in the future.")
    if signed_at < poll.created_at - CONSENT_COLLECTED_BEFORE:
        raise invalid("signed_at", "The consent was signed long before this poll was set up.")
    key, building_id, area = roll.voter_for(poll, resident)
    existing = roll.has_voted(poll, key)
    if existing is not None:
        raise _already_voted(existing)
    photo_file = attach(photo, poll.community_id, "proxy_consent", staff, field="photo")
    db.session.add(ProxyConsent(community_id=poll.community_id, poll_id=poll.id, voter_key=key,
                                resident_id=resident.id, witness=witness, signed_at=signed_at, form_ref=form_ref,
                                photo_id=photo_file.id, entered_by_id=staff.id))
    result = _record(poll, key, choices, "proxy", user_id=resident.id, entered_by_id=staff.id,
                     building_id=building_id, area=area)
    db.session.commit()
    return result


def dispute_proxy(poll: Poll, user, reason: str) -> ProxyConsent:
    consent = db.session.scalar(select(ProxyConsent).filter_by(poll_id=poll.id, resident_id=user.id))
    if consent is None:
        raise NotFound("No vote was entered for you in this poll.")
    if consent.disputed_at is None:
        consent.disputed_at, consent.dispute_reason = utcnow(), reason
    db.session.commit()
    return consent


def my_vote(poll: Poll, user) -> dict | None:
    """Whether my vote (or my home's or unit's) is in, when and how; never what a secret ballot chose."""
    try:
        key, _, _ = roll.voter_for(poll, user)
    except Forbidden:
        return None
    existing = roll.has_voted(poll, key)
    if existing is None:
        return {"voted": False}
    mine = existing.user_id == user.id
    choices = None
    if not poll.secret:
        ballot_id = db.session.scalar(select(OpenVote.ballot_id).filter_by(participation_id=existing.id))
        choices = db.session.get(Ballot, ballot_id).choices if ballot_id else None
    proxy = None
    if existing.channel == "proxy" and mine:
        proxy = db.session.scalar(select(ProxyConsent).filter_by(poll_id=poll.id, resident_id=user.id))
    return {"voted": True, "voted_at": existing.cast_at, "channel": existing.channel, "by_me": mine,
            "choices": choices, "void": existing.void, "proxy": proxy}


def find_receipt(poll: Poll, receipt: str) -> Ballot:
    if poll.status != "closed":
        raise Conflict("Receipts are published when the poll closes.", "poll_not_closed")
    ballot = db.session.scalar(select(Ballot).filter_by(poll_id=poll.id, receipt_hash=receipt_hash(receipt)))
    if ballot is None:
        raise NotFound("No ballot has this receipt.")
    return ballot
