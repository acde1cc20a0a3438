"""Residents reading notices: their list, unread count, search, opening and acknowledging."""
import base64
import functools
import hashlib
from datetime import UTC, datetime

from sqlalchemy import Integer, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import contains_eager, joinedload, lazyload, load_only

from backend import search
from backend.accounts.models import User
from backend.accounts.services import residency_revoked, residency_verified
from backend.common.db import begin_write, fetch
from backend.common.models import utcnow
from backend.common.schemas import plain
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.notices import audience as audiences
from backend.notices.models import Notice, NoticeRecipient
from backend.notices.services import SEARCH_KIND
from backend.push import services as push
from backend.push.models import PushDelivery, PushMessage


def _current(now):
    return Notice.status == "published", Notice.expires_at.is_(None) | (Notice.expires_at > now)


def _reader(community_id: int, user) -> dict:
    """The parameters of the statements below, which are built once: building one costs more than running it."""
    return {"user_id": user.id, "community_id": community_id, "now": utcnow()}


@functools.cache
def _visible():
    """The reader's current notices, with only what their list shows (not the body, not the author)."""
    shown = (load_only(NoticeRecipient.read_at, NoticeRecipient.acknowledged_at),
             contains_eager(NoticeRecipient.notice).load_only(
                 Notice.title, Notice.summary, Notice.category, Notice.pinned, Notice.ack_required,
                 Notice.published_at, Notice.expires_at).raiseload("*"))
    return (select(NoticeRecipient).join(Notice, Notice.id == NoticeRecipient.notice_id).options(*shown)
            .where(NoticeRecipient.user_id == bindparam("user_id"),
                   NoticeRecipient.community_id == bindparam("community_id"), *_current(bindparam("now"))))


def _shown():
    """What a reader sees of a notice in their list, named as ReaderNoticeBriefSchema names it."""
    return (NoticeRecipient.notice_id.label("id"), Notice.title, Notice.summary, Notice.category, Notice.pinned,
            Notice.ack_required, Notice.published_at, Notice.expires_at, NoticeRecipient.read_at,
            NoticeRecipient.acknowledged_at)


@functools.cache
def _page(category: bool):
    """The list as plain rows of the shown columns: no objects to build, and dumped without marshmallow."""
    stmt = (select(*_shown()).join(Notice, Notice.id == NoticeRecipient.notice_id)
            .where(NoticeRecipient.user_id == bindparam("user_id"),
                   NoticeRecipient.community_id == bindparam("community_id"), *_current(bindparam("now"))))
    if category:
        stmt = stmt.where(Notice.category == bindparam("category"))
    return (stmt.order_by(Notice.pinned.desc(), Notice.published_at.desc(), Notice.id.desc())
            .limit(bindparam("limit", type_=Integer)))


@functools.cache
def _opened():
    """One of the reader's published notices, as ReaderNoticeSchema shows it: the list's columns, the body and
    the author's name, as one plain row."""
    return (select(*_shown(), Notice.body_html, User.name.label("author"))
            .join(Notice, Notice.id == NoticeRecipient.notice_id).join(User, User.id == Notice.author_id)
            .where(NoticeRecipient.notice_id == bindparam("notice_id"), NoticeRecipient.user_id == bindparam("user_id"),
                   NoticeRecipient.community_id == bindparam("community_id"), Notice.status == "published"))


@functools.cache
def _recipient_query():
    """One of the reader's rows with its notice and, of the author's row, only the name (no roles or homes)."""
    author = joinedload(NoticeRecipient.notice).joinedload(Notice.author).options(load_only(User.name), lazyload("*"))
    return select(NoticeRecipient).options(author).where(
        NoticeRecipient.notice_id == bindparam("notice_id"), NoticeRecipient.user_id == bindparam("user_id"))


@functools.cache
def _unread_query():
    return (select(func.count()).select_from(NoticeRecipient).join(Notice, Notice.id == NoticeRecipient.notice_id)
            .where(NoticeRecipient.user_id == bindparam("user_id"),
                   NoticeRecipient.community_id == bindparam("community_id"),
                   NoticeRecipient.read_at.is_(None), *_current(bindparam("now"))))


@residency_verified.connect
def catch_up(_residency, community_id: int, user_id: int) -> None:
    """A home just verified: address its resident, in the same transaction, with the current notices that
    are for them and were published without them (before they arrived, or while this was being decided)."""
    audiences.lock_addressing(community_id)
    addressed = select(NoticeRecipient.notice_id).where(NoticeRecipient.user_id == user_id)
    missed = list(db.session.scalars(select(Notice).where(
        Notice.community_id == community_id, Notice.status == "published",
        (Notice.expires_at.is_(None)) | (Notice.expires_at > utcnow()), Notice.id.not_in(addressed))))
    if not missed:
        return
    # Many notices may leave this resident out (other grids): match them all without a query each.
    match = audiences.matcher(community_id, user_id, [n.audience for n in missed])
    rows = [{"notice_id": n.id, "community_id": community_id, "user_id": user_id, "dwelling_id": found[0],
             "grid_id": found[1]} for n in missed if (found := match(n.audience))]
    if rows:
        db.session.execute(insert(NoticeRecipient), rows)


@residency_revoked.connect
def forget_revoked(_residency, community_id: int, user_id: int) -> None:
    """A home taken away: the notices addressed because of it are no longer this person's to read."""
    rows = list(db.session.scalars(select(NoticeRecipient).filter_by(community_id=community_id, user_id=user_id)))
    match = audiences.matcher(community_id, user_id, [r.notice.audience for r in rows])
    gone = [r.notice_id for r in rows if not match(r.notice.audience)]
    if not gone:
        return
    db.session.execute(delete(NoticeRecipient).where(NoticeRecipient.user_id == user_id,
                                                     NoticeRecipient.notice_id.in_(gone)))
    sources = select(PushMessage.id).where(PushMessage.source.in_([f"notice:{i}" for i in gone]))
    push.cancel_pending((PushDelivery.user_id == user_id) & PushDelivery.message_id.in_(sources))


def encode_cursor(row) -> str:
    """Where the next page starts: after this row of the list (a row of `_page`)."""
    raw = f"{int(row.pinned)}.{int(row.published_at.timestamp() * 1_000_000)}.{row.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(cursor: str):
    try:
        pinned, micros, notice_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(".")
        at = datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
        pinned, notice_id = bool(int(pinned)), int(notice_id)
    except (ValueError, UnicodeDecodeError) as err:
        raise invalid("cursor", "Not a cursor from this list.") from err
    later = (Notice.published_at < at) | ((Notice.published_at == at) & (Notice.id < notice_id))
    if pinned:
        return Notice.pinned.is_(False) | (Notice.pinned.is_(True) & later)
    return Notice.pinned.is_(False) & later


def list_for_reader(community_id: int, user, category: str | None = None, cursor: str | None = None,
                    limit: int = 20) -> dict:
    """A page of the reader's notices, dumped as NoticePageSchema dumps it."""
    stmt = _page(bool(category))
    if cursor:
        stmt = stmt.where(_after(cursor))
    params = {**_reader(community_id, user), "category": category, "limit": limit + 1}
    if cursor:
        result = db.session.connection().execute(stmt, params)
        rows, keys = result.all(), result.keys()
    else:
        rows = fetch(stmt, params)
        keys = rows.keys
    more = len(rows) > limit
    cursor = encode_cursor(rows[limit - 1]) if more else None
    return {"items": plain(rows[:limit], keys), "next_cursor": cursor}


def search_for_reader(community_id: int, user, q: str, limit: int = 20) -> list[NoticeRecipient]:
    """The shared search, narrowed to the notices addressed to this reader, best match first."""
    ranked = search.ranked_ids(community_id, q, SEARCH_KIND)[:500]
    if not ranked:
        return []
    rows = {r.notice_id: r for r in db.session.scalars(
        _visible().where(NoticeRecipient.notice_id.in_(ranked)), _reader(community_id, user))}
    return [rows[i] for i in ranked if i in rows][:limit]


def unread_count(community_id: int, user) -> dict:
    """One count, through the index of this resident's unread rows; polled by every open app."""
    return {"unread": fetch(_unread_query(), _reader(community_id, user))[0][0]}


def unread_tag(community_id: int, user, unread: int) -> str:
    """The count's validator, whose as well as how many: another account on this browser never matches it."""
    return hashlib.sha256(f"{user.id}:{community_id}:{unread}".encode()).hexdigest()[:20]


def _recipient(community_id: int, user, notice_id: int) -> NoticeRecipient:
    row = db.session.scalars(_recipient_query(), {"notice_id": notice_id, "user_id": user.id}).first()
    if row is None or row.community_id != community_id or row.notice.status != "published":
        raise NotFound("No such notice.")
    return row


def _opened_row(community_id: int, user, notice_id: int) -> dict:
    params = {"notice_id": notice_id, "user_id": user.id, "community_id": community_id}
    rows = fetch(_opened(), params)
    if not rows:
        raise NotFound("No such notice.")
    return plain(rows, rows.keys)[0]


def open_notice(community_id: int, user, notice_id: int) -> dict:
    """Opening a notice marks it read (the first time only); dumped as ReaderNoticeSchema dumps it."""
    shown = _opened_row(community_id, user, notice_id)
    if shown["read_at"] is None:
        begin_write()
        _mark(notice_id, user.id, read_at=utcnow())
        shown = _opened_row(community_id, user, notice_id)  # the time stored: another device may have been first
    return shown


def acknowledge(community_id: int, user, notice_id: int) -> NoticeRecipient:
    row = _recipient(community_id, user, notice_id)
    if not row.notice.ack_required:
        raise Conflict("This notice does not ask for acknowledgement.", "ack_not_required")
    now = utcnow()
    _mark(notice_id, user.id, read_at=row.read_at or now, acknowledged_at=row.acknowledged_at or now)
    db.session.refresh(row)
    return row


def _mark(notice_id: int, user_id: int, **times) -> None:
    # Conditional on still being empty, so a second device or a double tap keeps the first time.
    for name, value in times.items():
        column = getattr(NoticeRecipient, name)
        db.session.execute(update(NoticeRecipient).where(
            NoticeRecipient.notice_id == notice_id, NoticeRecipient.user_id == user_id, column.is_(None))
            .values({name: value}).execution_options(synchronize_session=False))
    db.session.commit()
