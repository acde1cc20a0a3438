"""Polls: drafting, opening (now or scheduled), closing, withdrawing, and reminding who has not voted."""
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.notices import audience as audiences
from backend.places.models import Community
from backend.push import services as push
from backend.voting import roll
from backend.voting.models import Ballot, Participation, Poll, PollOption

OWNERS_OPTIONS = (("同意", "yes"), ("反对", "no"), ("弃权", "abstain"))
PUSH_CATEGORY = "policy"
REMIND_BEFORE = timedelta(hours=24)


def get_poll(community_id: int, poll_id: int) -> Poll:
    """One query: the poll with its options."""
    poll = db.session.scalars(select(Poll).options(joinedload(Poll.options))
                              .filter_by(id=poll_id, community_id=community_id)).unique().first()
    if poll is None:
        raise NotFound("No such poll.")
    return poll


def list_for_staff(community_id: int, status: str | None = None, page: int = 1, per_page: int = 20) -> list[Poll]:
    """A page of polls, each with how many have voted: three queries however many polls."""
    stmt = select(Poll).filter_by(community_id=community_id)
    if status:
        stmt = stmt.filter_by(status=status)
    polls = list(db.session.scalars(stmt.order_by(Poll.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    voters = dict(db.session.execute(
        select(Participation.poll_id, func.count()).where(Participation.poll_id.in_([p.id for p in polls]),
                                                          Participation.void.is_(False))
        .group_by(Participation.poll_id)).all()) if polls else {}
    for poll in polls:
        poll.voters = voters.get(poll.id, 0)
    return polls


def _apply(poll: Poll, fields: dict) -> None:
    options = fields.pop("options", None)
    if "scope" in fields:
        fields["scope"] = {k: v for k, v in audiences.check(poll.community_id, fields["scope"], "scope").items()
                           if k != "roles"}
    for name, value in fields.items():
        setattr(poll, name, value)
    _normalise(poll)
    if poll.kind == "owners":
        options = [{"label": label, "meaning": meaning} for label, meaning in OWNERS_OPTIONS]
    if options is not None:
        poll.options = [PollOption(community_id=poll.community_id, position=n, label=o["label"],
                                   meaning=o.get("meaning")) for n, o in enumerate(options)]
    _check(poll)


def _normalise(poll: Poll) -> None:
    """What a kind implies: an owners' decision is one choice per unit among yes, no and abstain."""
    if poll.kind == "owners":
        poll.choice, poll.min_choices, poll.max_choices, poll.counting = "single", 1, 1, "unit"
        poll.owners_only, poll.matter = True, poll.matter or "ordinary"
    else:
        poll.matter = None
        poll.counting = "dwelling" if poll.counting == "dwelling" else "person"
        if poll.choice == "single":
            poll.min_choices = poll.max_choices = 1
    if poll.secret:
        poll.allow_change = False  # a secret ballot has no owner to change it


def _check(poll: Poll) -> None:
    count = len(poll.options)
    if poll.kind == "opinion" and count < 2:
        raise invalid("options", "Give at least two options.")
    if poll.choice == "approval":
        poll.min_choices, poll.max_choices = min(poll.min_choices, count), count
    if not 1 <= poll.min_choices <= poll.max_choices <= count:
        raise invalid("max_choices", "Choices must be 1 ≤ at least ≤ at most ≤ the number of options.")
    if poll.opens_at and poll.opens_at >= poll.closes_at:
        raise invalid("closes_at", "Must be after the poll opens.")
    if poll.closes_at <= utcnow():
        raise invalid("closes_at", "Must be in the future.")


def create_poll(community_id: int, author, **fields) -> Poll:
    poll = Poll(community_id=community_id, created_by_id=author.id, status="draft", options=[], body="",
                choice="single", min_choices=1, max_choices=1, counting="person", owners_only=False,
                secret=False, results="after_close", allow_change=False, opens_at=None, matter=None)
    _apply(poll, fields)
    db.session.add(poll)
    db.session.commit()
    return poll


def update_poll(poll: Poll, **fields) -> Poll:
    if poll.status != "draft":
        raise Conflict("Once published a poll's rules cannot change.", "poll_not_draft")
    _apply(poll, fields)
    db.session.commit()
    return poll


def delete_poll(poll: Poll) -> None:
    if poll.status != "draft":
        raise Conflict("Only drafts can be deleted; withdraw it instead.", "poll_not_draft")
    db.session.delete(poll)
    db.session.commit()


def publish_poll(poll: Poll) -> Poll:
    """Open now, or at opens_at: the worker opens scheduled polls when they are due."""
    now = utcnow()
    if poll.status != "draft":
        raise Conflict("This poll has already been published.", "poll_not_draft")
    _check(poll)
    if poll.opens_at and poll.opens_at > now:
        poll.status = "scheduled"
        db.session.commit()
        return poll
    if not _open(poll, now, ("draft",)):
        raise Conflict("Someone else published this poll a moment ago.", "poll_not_draft")
    db.session.commit()
    return poll


def _open(poll: Poll, now: datetime, from_statuses: tuple[str, ...]) -> bool:
    """Mark open (only one caller can win), freeze the roll and tell the voters, in this transaction."""
    won = db.session.execute(
        update(Poll).where(Poll.id == poll.id, Poll.status.in_(from_statuses))
        .values(status="open", opened_at=now).execution_options(synchronize_session=False)).rowcount
    if not won:
        return False
    db.session.refresh(poll)
    roll.freeze(poll)
    _push(poll, [user_id for user_id, _ in roll.eligible_users(poll)], now)
    return True


def close_poll(poll: Poll, now: datetime | None = None) -> Poll:
    now = now or utcnow()
    won = db.session.execute(
        update(Poll).where(Poll.id == poll.id, Poll.status == "open")
        .values(status="closed", closed_at=now).execution_options(synchronize_session=False)).rowcount
    if not won:
        raise Conflict("Only an open poll can be closed.", "poll_not_open")
    db.session.commit()
    db.session.refresh(poll)
    return poll


def withdraw_poll(poll: Poll, reason: str) -> Poll:
    """Stop a poll before it closes: its ballots are kept, marked void; nothing is deleted."""
    won = db.session.execute(
        update(Poll).where(Poll.id == poll.id, Poll.status.in_(("scheduled", "open")))
        .values(status="withdrawn", withdrawn_at=utcnow(), withdraw_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise Conflict("Only a scheduled or open poll can be withdrawn.", "poll_not_open")
    for model in (Participation, Ballot):
        db.session.execute(update(model).where(model.poll_id == poll.id).values(void=True))
    push.forget_messages(poll.source)
    db.session.commit()
    db.session.refresh(poll)
    return poll


def _push(poll: Poll, user_ids: list[int], now: datetime, reminder: bool = False) -> int:
    if not user_ids:
        return 0
    community = db.session.get(Community, poll.community_id)
    title = ("【提醒】还未投票：" if reminder else "【投票】") + poll.title
    payload = {"title": title, "body": poll.body[:140], "url": f"/polls/{poll.id}", "tag": f"poll-{poll.id}",
               "community_id": poll.community_id, "category": PUSH_CATEGORY}
    ttl = int(max(60, min((poll.closes_at - now).total_seconds(), 28 * 24 * 3600)))
    return push.enqueue(community, user_ids, payload, poll.source, f"poll-{poll.id}", PUSH_CATEGORY, ttl, now)


def open_due(now: datetime | None = None, limit: int = 20) -> int:
    now = now or utcnow()
    due = list(db.session.scalars(select(Poll).where(Poll.status == "scheduled", Poll.opens_at <= now)
                                  .order_by(Poll.opens_at).limit(limit)))
    for poll in due:
        _open(poll, now, ("scheduled",))
        db.session.commit()
    return len(due)


def close_due(now: datetime | None = None, limit: int = 50) -> int:
    now = now or utcnow()
    done = db.session.execute(update(Poll).where(Poll.status == "open", Poll.closes_at <= now)
                              .values(status="closed", closed_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return done


def remind_due(now: datetime | None = None) -> int:
    """A day before closing, one push to the eligible who have not voted (their quiet hours respected)."""
    now = now or utcnow()
    polls = list(db.session.scalars(select(Poll).where(
        Poll.status == "open", Poll.reminded_at.is_(None), Poll.closes_at <= now + REMIND_BEFORE,
        Poll.closes_at > now).limit(20)))
    for poll in polls:
        won = db.session.execute(update(Poll).where(Poll.id == poll.id, Poll.reminded_at.is_(None))
                                 .values(reminded_at=now).execution_options(synchronize_session=False)).rowcount
        if won:
            _push(poll, roll.not_voted(poll), now, reminder=True)
        db.session.commit()
    return len(polls)
