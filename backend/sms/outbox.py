"""The text outbox: rows of sms_message with a `source` (e.g. notice:12), queued in the publisher's
transaction and handed to the provider by the worker, off the request path.

At most once, because a text cannot be taken back and a phone cannot drop a repeat the way a browser drops
a repeated push: (source, phone) is unique, so a phone is queued once; a worker claims a batch by moving
it from pending to sending in one statement (PostgreSQL: SKIP LOCKED; SQLite writes one at a time), and
only the claimer may settle it. A batch still `sending` when its lease ends belongs to a worker that
stopped, maybe after the provider took it: it is marked failed, never sent again. Only a provider's
explicit refusal (throttled: nothing went out) is tried again, SMS_MAX_ATTEMPTS times in all."""
import os
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from backend.common.db import is_postgres, upsert
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Community
from backend.sms import budget
from backend.sms.models import SmsMessage
from backend.sms.providers import SmsResult, send

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
M = SmsMessage


def lock_budget(community_id: int) -> None:
    """Texts queued for a community take turns, so two notices at once cannot both spend the last of it."""
    db.session.execute(select(Community.id).where(Community.id == community_id).with_for_update(key_share=True))


def queue(community: Community, source: str, purpose: str, recipients: Sequence[tuple[int, str]],
          params: dict, now: datetime) -> dict:
    """One text per phone, up to the budget's allowance; the rest are written as over_budget (for the
    stats). In the caller's transaction, which commits it."""
    first: dict[str, int] = {}
    for user_id, phone in recipients:
        first.setdefault(phone, user_id)
    phones = list(first.items())
    if not phones:
        return {"queued": 0, "over_budget": 0}
    lock_budget(community.id)
    # A notice is texted a chunk of residents at a time: the chunks before this one used part of its cap.
    earlier = db.session.scalar(select(func.count()).select_from(M).where(
        M.source == source, M.status.in_(budget.SPENDING))) or 0
    allowed = budget.allowance(community, now, earlier)
    rows = [{"community_id": community.id, "user_id": user_id, "phone": phone, "purpose": purpose,
             "status": "pending" if i < allowed else "over_budget", "source": source, "params": params,
             "provider": current_app.config["SMS_PROVIDER"], "provider_message_id": "", "attempts": 0,
             "next_attempt_at": now, "claimed_by": "", "error": "", "created_at": now}
            for i, (phone, user_id) in enumerate(phones)]
    for start in range(0, len(rows), 1000):
        # (source, phone) is unique: a phone already queued for this source keeps its one text.
        db.session.execute(upsert(M).on_conflict_do_nothing(index_elements=["source", "phone"]),
                           rows[start:start + 1000])
    queued = min(allowed, len(rows))
    return {"queued": queued, "over_budget": len(rows) - queued}


def cancel(source: str) -> int:
    """What has not gone out yet for this source stays unsent (a withdrawn notice)."""
    return db.session.execute(update(M).where(M.source == source, M.status == "pending")
                              .values(status="cancelled").execution_options(synchronize_session=False)).rowcount


def counts(source: str) -> dict[str, int]:
    rows = db.session.execute(select(M.status, func.count()).where(M.source == source).group_by(M.status))
    return dict(rows.all())


def _setting(name: str) -> int:
    return int(current_app.config[name])


def release_stalled(now: datetime) -> int:
    """Batches whose worker stopped mid-way: failed, not retried (the provider may have sent them)."""
    done = db.session.execute(
        update(M).where(M.status == "sending", M.lease_until < now)
        .values(status="failed", error="The sender stopped before the provider answered; not sent again.")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return done


def claim(now: datetime, limit: int, worker_id: str) -> list[tuple[int, str, str, dict, int]]:
    """Move up to `limit` due texts from pending to sending for this worker; nobody else gets them."""
    due = (select(M.id).where(M.status == "pending", M.source.is_not(None), M.next_attempt_at <= now)
           .order_by(M.next_attempt_at, M.id).limit(limit))
    if is_postgres():
        due = due.with_for_update(skip_locked=True)
    stmt = (update(M).where(M.id.in_(due.scalar_subquery()), M.status == "pending")
            .values(status="sending", claimed_by=worker_id, attempts=M.attempts + 1,
                    lease_until=now + timedelta(seconds=_setting("SMS_LEASE_SECONDS")))
            .returning(M.id, M.phone, M.purpose, M.params, M.attempts).execution_options(synchronize_session=False))
    claimed = sorted(db.session.execute(stmt).all())
    db.session.commit()
    return claimed


def _outcome(result, attempts: int, now: datetime) -> dict:
    if result.sent:
        return {"status": "sent", "provider_message_id": result.message_id[:64], "sent_at": now, "error": ""}
    if result.status == "throttled" and attempts < _setting("SMS_MAX_ATTEMPTS"):
        wait = timedelta(seconds=_setting("SMS_RETRY_SECONDS") * attempts)
        return {"status": "pending", "next_attempt_at": now + wait, "lease_until": None, "error": result.detail[:300]}
    return {"status": "failed", "error": (result.detail or result.status)[:300]}


def _settle(message_id: int, worker_id: str, values: dict) -> None:
    db.session.execute(update(M).where(M.id == message_id, M.status == "sending", M.claimed_by == worker_id)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def _hand_over(phone: str, purpose: str, params: dict):
    try:
        return send(phone, purpose, params or {})
    except Exception as err:  # noqa: BLE001  (a provider left unconfigured must not leave the row hanging)
        current_app.logger.exception("SMS to %s could not be handed over", phone)
        return SmsResult("failed", detail=f"{type(err).__name__}: {err}")


def _send_batch(claimed: list, worker_id: str) -> None:
    """SMS_CONCURRENCY requests at a time (the providers answer in ~100 ms each); each text is settled as
    its answer comes. No transaction is open (on SQLite, no lock is held) while the provider answers."""
    app = current_app._get_current_object()

    def hand_over(row):
        with app.app_context():
            return _hand_over(*row[1:4])

    with ThreadPoolExecutor(max(1, _setting("SMS_CONCURRENCY"))) as pool:
        for row, result in zip(claimed, pool.map(hand_over, claimed), strict=True):
            _settle(row[0], worker_id, _outcome(result, row[4], utcnow()))


def send_due(now: datetime | None = None, worker_id: str = WORKER_ID, batches: int = 5) -> int:
    """The worker's job: hand due texts to the provider a batch at a time, settling each as it answers."""
    now = now or utcnow()
    done = release_stalled(now)
    for _ in range(batches):
        claimed = claim(now, _setting("SMS_BATCH_SIZE"), worker_id)
        _send_batch(claimed, worker_id)
        done += len(claimed)
        if len(claimed) < _setting("SMS_BATCH_SIZE"):
            break
    return done
