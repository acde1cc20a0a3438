"""Addressing a notice, and reminding its unread, off the request path: the request writes a NoticeSending;
the worker writes its recipients, pushes and texts a chunk of residents per transaction, in user id order.

A chunk locks its sending (PostgreSQL: FOR UPDATE SKIP LOCKED, so a second worker takes other work) and
moves its cursor in the transaction that writes the chunk: a worker that dies loses only its uncommitted
chunk, which the next one writes again. Every row written has a unique key (recipient: notice and user;
delivery: message and device; text: source and phone) and is inserted with ON CONFLICT DO NOTHING, so no
resident is written twice, whatever happens."""
from datetime import datetime

from sqlalchemy import select, update

from backend.common.db import is_postgres, upsert
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import audience as audiences
from backend.notices import sms
from backend.notices.models import Notice, NoticeRecipient, NoticeSending
from backend.places.models import Community
from backend.push import services as push

CHUNK = 1000
R = NoticeRecipient


def start(notice: Notice, kind: str, message_id: int | None, total: int | None = None) -> NoticeSending:
    """Record the work in the caller's transaction; the worker does it (`step`)."""
    sending = NoticeSending(community_id=notice.community_id, notice_id=notice.id, kind=kind, status="running",
                            message_id=message_id, cursor=0, done=0, deliveries=0, total=total)
    db.session.add(sending)
    return sending


def _claim() -> NoticeSending | None:
    stmt = select(NoticeSending).where(NoticeSending.status == "running").order_by(NoticeSending.id).limit(1)
    if is_postgres():
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalars(stmt).first()


def _next_chunk(sending: NoticeSending, notice: Notice) -> list[tuple[int, int | None, int | None]]:
    """(user_id, dwelling_id, grid_id) of the next residents, by user id."""
    if sending.kind == "publish":
        return audiences.resolve(notice.community_id, notice.audience, after=sending.cursor, limit=CHUNK)
    return [(u, None, None) for u in db.session.scalars(
        select(R.user_id).where(R.notice_id == notice.id, R.read_at.is_(None), R.user_id > sending.cursor)
        .order_by(R.user_id).limit(CHUNK))]


def _finish(sending: NoticeSending, now: datetime) -> None:
    values = {"status": "done", "finished_at": now}
    if sending.kind == "publish":
        values["total"] = sending.done  # who was addressed in the end (some may have moved meanwhile)
    db.session.execute(update(NoticeSending).where(NoticeSending.id == sending.id).values(**values)
                       .execution_options(synchronize_session=False))


def step(now: datetime | None = None) -> int:
    """Write one chunk of the oldest sending no other worker holds; how many residents it handled (0: none
    left), each in its own transaction."""
    now = now or utcnow()
    sending = _claim()
    if sending is None:
        db.session.commit()
        return 0
    # Withdrawing the notice waits for this chunk, or this chunk sees it withdrawn.
    notice = db.session.scalars(select(Notice).where(Notice.id == sending.notice_id)
                                .with_for_update(read=True, of=Notice)).one()
    # Verifying a resident (reading.catch_up) takes turns with the chunks, so each sees what the other wrote.
    audiences.lock_addressing(notice.community_id)
    if sending.total is None and sending.kind == "publish":
        sending.total = audiences.count(notice.community_id, notice.audience)
    rows = _next_chunk(sending, notice) if notice.status == "published" else []
    if not rows:
        _finish(sending, now)
        db.session.commit()
        return 1
    user_ids = [u for u, _, _ in rows]
    deliveries = _write(sending, notice, rows, now)
    moved = db.session.execute(
        update(NoticeSending).where(NoticeSending.id == sending.id, NoticeSending.cursor == sending.cursor)
        .values(cursor=max(user_ids), done=NoticeSending.done + len(rows), total=sending.total,
                deliveries=NoticeSending.deliveries + deliveries)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:  # another worker wrote this chunk first
        db.session.rollback()
        return 0
    db.session.commit()
    return len(rows)


def _write(sending: NoticeSending, notice: Notice, rows: list, now: datetime) -> int:
    user_ids = [u for u, _, _ in rows]
    if sending.kind == "publish":
        db.session.execute(upsert(R).on_conflict_do_nothing(index_elements=["notice_id", "user_id"]), [
            {"notice_id": notice.id, "community_id": notice.community_id, "user_id": u, "dwelling_id": d,
             "grid_id": g} for u, d, g in rows])
        sms.text_notice(notice, user_ids, now)
    if sending.message_id is None:
        return 0
    community = db.session.get(Community, notice.community_id)
    return push.add_deliveries(community, sending.message_id, user_ids, notice.category, now)


def drain(now: datetime | None = None) -> int:
    """Every chunk of every sending, one after the other (the worker's job; tests)."""
    done = 0
    while count := step(now):
        done += count
    return done


def progress(notice: Notice) -> dict | None:
    """The latest sending of this notice: how far it has come."""
    sending = db.session.scalars(select(NoticeSending).where(NoticeSending.notice_id == notice.id)
                                 .order_by(NoticeSending.id.desc()).limit(1)).first()
    if sending is None:
        return None
    return {"kind": sending.kind, "status": sending.status, "done": sending.done, "total": sending.total,
            "deliveries": sending.deliveries, "started_at": sending.created_at, "finished_at": sending.finished_at}
