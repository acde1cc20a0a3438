"""Pruning the outbox: settled deliveries, and the messages left with none, go after PUSH_RETENTION_DAYS.

A domain that counts deliveries (the notices' stats) registers a keeper, called with the rows about to
go in the same transaction as the delete, so it can fold them into counts of its own first.
"""
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.push.models import PushDelivery, PushMessage

SETTLED = ("delivered", "failed", "gone", "cancelled")  # no path leads out of these (sender.settle)
Keeper = Callable[[list[tuple[str, int, str]]], None]  # [(message source, user_id, status)]
KEEPERS: list[Keeper] = []


def keeper(fn: Keeper) -> Keeper:
    KEEPERS.append(fn)
    return fn


def cutoff(now: datetime) -> datetime:
    return now - timedelta(days=float(current_app.config.get("PUSH_RETENTION_DAYS", 30)))


def _prune_deliveries(before: datetime, batch: int) -> int:
    """One batch: a delivery's last attempt (or its due time, if it never went out) is next_attempt_at."""
    rows = db.session.execute(
        select(PushDelivery.id, PushMessage.source, PushDelivery.user_id, PushDelivery.status)
        .join(PushMessage, PushMessage.id == PushDelivery.message_id)
        .where(PushDelivery.status.in_(SETTLED), PushDelivery.next_attempt_at < before)
        .order_by(PushDelivery.id).limit(batch)).all()
    if rows:
        for keep in KEEPERS:
            keep([(source, user_id, status) for _, source, user_id, status in rows])
        db.session.execute(delete(PushDelivery).where(PushDelivery.id.in_([r[0] for r in rows]))
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(rows)


def _prune_messages(before: datetime, batch: int) -> int:
    ids = list(db.session.scalars(
        select(PushMessage.id).where(PushMessage.created_at < before,
                                     ~exists().where(PushDelivery.message_id == PushMessage.id))
        .order_by(PushMessage.id).limit(batch)))
    if ids:
        db.session.execute(delete(PushMessage).where(PushMessage.id.in_(ids),
                                                     ~exists().where(PushDelivery.message_id == PushMessage.id))
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(ids)


def prune_settled(now: datetime | None = None, batch: int | None = None, max_batches: int = 10) -> int:
    """Delete settled deliveries and emptied messages older than the retention period, a batch at a time."""
    before = cutoff(now or utcnow())
    batch = batch or int(current_app.config.get("PUSH_PRUNE_BATCH", 1000))
    done = 0
    for _ in range(max_batches):
        pruned = _prune_deliveries(before, batch)
        done += pruned
        if pruned < batch:
            break
    return done + _prune_messages(before, batch)
