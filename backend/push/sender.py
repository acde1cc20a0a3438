"""The outbox sender: claim due deliveries, send them concurrently, settle each one."""
import asyncio
import atexit
import os
import socket
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import aiohttp
from flask import current_app
from sqlalchemy import bindparam, select, update

from backend.common.db import is_postgres
from backend.common.models import utcnow
from backend.extensions import db
from backend.push import crypto, endpoints, vapid
from backend.push.models import PushDelivery, PushMessage, PushSubscription

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
DEFAULTS = {"PUSH_BATCH_SIZE": 200, "PUSH_CONCURRENCY": 32, "PUSH_TIMEOUT_SECONDS": 10.0,
            "PUSH_LEASE_SECONDS": 30, "PUSH_MAX_ATTEMPTS": 6, "PUSH_RETRY_BASE_SECONDS": 30}
DELIVERED, GONE, RETRY, FAILED = "delivered", "gone", "retry", "failed"


def setting(name: str):
    return type(DEFAULTS[name])(current_app.config.get(name, DEFAULTS[name]))


@dataclass
class Item:
    delivery_id: int
    subscription_id: int | None
    attempts: int
    endpoint: str = ""
    keys: dict | None = None
    payload: bytes = b""
    ttl: int = 0
    topic: str = ""
    urgency: str = "normal"
    blocked: str = ""  # why this endpoint must not be posted to (backend/push/endpoints.py)

    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": self.keys}


@dataclass
class Outcome:
    item: Item
    kind: str
    status: int | None = None
    retry_after: float | None = None
    error: str = ""


def _clock(now: datetime) -> datetime:
    """Leases run on the real clock; tests that pass a later `now` move it forward."""
    return max(now, utcnow())


def cutoff(lease: int) -> float:
    """How long a batch may be on the wire: its lease less a margin for settling it."""
    return lease * 0.75


def claim(limit: int, now: datetime, lease: int, worker_id: str = WORKER_ID) -> list[int]:
    """Take up to `limit` due rows nobody holds; several workers never take the same row."""
    due = (select(PushDelivery.id)
           .where(PushDelivery.status == "pending", PushDelivery.next_attempt_at <= now,
                  (PushDelivery.lease_until.is_(None)) | (PushDelivery.lease_until < now))
           .order_by(PushDelivery.next_attempt_at, PushDelivery.id).limit(limit))
    if is_postgres():
        due = due.with_for_update(skip_locked=True)
    stmt = (update(PushDelivery).where(PushDelivery.id.in_(due.scalar_subquery()))
            .values(lease_until=_clock(now) + timedelta(seconds=lease), claimed_by=worker_id,
                    attempts=PushDelivery.attempts + 1)
            .returning(PushDelivery.id).execution_options(synchronize_session=False))
    ids = list(db.session.scalars(stmt))
    db.session.commit()
    return ids


def hold(ids: list[int], now: datetime, lease: int, worker_id: str = WORKER_ID) -> list[int]:
    """Renew the lease of the claimed rows that are still ours, as they go on the wire; send only those.

    A row waits (claimed) while the batch before it is sent; if it waited past its lease another worker
    may have taken it, and then it is theirs to send.
    """
    table = PushDelivery.__table__
    stmt = (table.update().where(table.c.id.in_(ids), table.c.status == "pending",
                                 table.c.claimed_by == worker_id)
            .values(lease_until=_clock(now) + timedelta(seconds=lease)).returning(table.c.id))
    held = list(db.session.scalars(stmt))
    db.session.commit()
    return held


def load(ids: list[int]) -> list[Item]:
    stmt = (select(PushDelivery.id, PushDelivery.subscription_id, PushDelivery.attempts,
                   PushSubscription.endpoint, PushSubscription.p256dh, PushSubscription.auth,
                   PushMessage.payload, PushMessage.ttl, PushMessage.topic, PushMessage.urgency)
            .join(PushMessage, PushMessage.id == PushDelivery.message_id)
            .outerjoin(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
            .where(PushDelivery.id.in_(ids)))
    items = [Item(r[0], r[1], r[2], r[3] or "", {"p256dh": r[4], "auth": r[5]}, r[6].encode(), *r[7:],
                  blocked=endpoints.send_problem(r[3]) or "" if r[3] else "")
             for r in db.session.execute(stmt)]
    db.session.commit()  # hold no transaction (and on SQLite no lock) while the network is slow
    return items


class PushClient:
    """One event loop thread per process with pooled keep-alive connections per push service.

    Encryption runs on the loop too: the work is CPU-bound in one thread, the waiting is concurrent.
    """

    def __init__(self, concurrency: int, timeout: float, allow_private: bool = False):
        self.concurrency, self.allow_private = concurrency, allow_private
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="push-sender", daemon=True).start()
        self.session = self._run(self._open())
        atexit.register(self.close)

    def close(self) -> None:
        if not self.session.closed and self.loop.is_running():
            self._run(self.session.close())

    async def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self.concurrency * 4, limit_per_host=self.concurrency,
                                         resolver=endpoints.GuardedResolver(self.allow_private))
        return aiohttp.ClientSession(connector=connector, timeout=self.timeout, auto_decompress=False)

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def submit(self, items: list[Item], key, subject: str, limit: float | None = None) -> Future:
        """Start sending; the caller may claim the next batch while this one is on the wire.

        Whatever is still unanswered after `limit` seconds is cut off and retried later, so no request
        outlives the batch's lease (a cut-off one may have arrived: the phone drops a repeated message_id).
        """
        return asyncio.run_coroutine_threadsafe(self._send_all(items, key, subject, limit), self.loop)

    async def _send_all(self, items: list[Item], key, subject: str, limit: float | None) -> list[Outcome]:
        gate = asyncio.Semaphore(self.concurrency)
        tasks = [asyncio.ensure_future(self._send(item, key, subject, gate)) for item in items]
        if not tasks:
            return []
        _, late = await asyncio.wait(tasks, timeout=limit)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        return [task.result() if not task.cancelled() else Outcome(item, RETRY, error="cut off at the lease")
                for task, item in zip(tasks, items)]

    async def _send(self, item: Item, key, subject: str, gate: asyncio.Semaphore) -> Outcome:
        if item.subscription_id is None:
            return Outcome(item, GONE, error="device removed")
        if item.blocked:
            return Outcome(item, FAILED, error=item.blocked)
        try:
            body, headers = prepare(item, key, subject)
        except Exception as err:  # a broken key in a stored subscription must not stop the batch
            return Outcome(item, FAILED, error=f"{type(err).__name__}: {err}"[:200])
        async with gate:
            try:
                async with self.session.post(item.endpoint, data=body, headers=headers,
                                             allow_redirects=False) as response:
                    await response.read()
                    return classify(item, response.status, response.headers.get("Retry-After"))
            except aiohttp.ClientConnectorError as err:
                if isinstance(err.os_error, endpoints.BlockedAddress):
                    return Outcome(item, FAILED, error="Not a public address.")
                return Outcome(item, RETRY, error=type(err).__name__)
            except (aiohttp.ClientError, TimeoutError, OSError) as err:
                return Outcome(item, RETRY, error=type(err).__name__)


def prepare(item: Item, key, subject: str) -> tuple[bytes, dict]:
    body = crypto.encrypt(item.payload, vapid.b64url_decode(item.keys["p256dh"]),
                          vapid.b64url_decode(item.keys["auth"]))
    parts = urlsplit(item.endpoint)
    headers = {"TTL": str(item.ttl), "Urgency": item.urgency, "Topic": item.topic,
               "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream",
               "Authorization": vapid.authorization(f"{parts.scheme}://{parts.netloc}", key, subject)}
    return body, headers


def classify(item: Item, status: int, retry_after: str | None) -> Outcome:
    if status in (200, 201, 202):
        return Outcome(item, DELIVERED, status)
    if status in (404, 410):
        return Outcome(item, GONE, status)
    if status == 429:
        return Outcome(item, RETRY, status, _seconds(retry_after), "rate limited")
    if status >= 500:
        return Outcome(item, RETRY, status, error="push service error")
    return Outcome(item, FAILED, status, error=f"refused with {status}")


def _seconds(retry_after: str | None) -> float | None:
    if not retry_after:
        return None
    if retry_after.strip().isdigit():
        return min(float(retry_after), 86400)
    try:
        return max(0.0, min((parsedate_to_datetime(retry_after) - utcnow()).total_seconds(), 86400))
    except (TypeError, ValueError):
        return None


_clients: dict[tuple, PushClient] = {}


def client() -> PushClient:
    """This process's client for the configured concurrency and timeout (a forked child makes its own)."""
    wanted = (setting("PUSH_CONCURRENCY"), setting("PUSH_TIMEOUT_SECONDS"), endpoints.insecure_allowed())
    key = (os.getpid(), *wanted)
    if key not in _clients:
        _clients[key] = PushClient(*wanted)
    return _clients[key]


def send_due(now: datetime | None = None, max_batches: int = 10) -> int:
    """Claim, send and settle up to `max_batches` batches. Returns how many deliveries were handled.

    The next batch is claimed while this one is on the wire; only the batch on the wire can be sent
    twice if the process dies, and the phone shows each message_id once.
    """
    now = now or utcnow()
    size, lease = setting("PUSH_BATCH_SIZE"), setting("PUSH_LEASE_SECONDS")
    key, subject = vapid.vapid(), current_app.config["VAPID_SUBJECT"]
    done, ids = 0, claim(size, now, lease)
    for batch in range(max_batches):
        if not ids:
            break
        sending = client().submit(load(hold(ids, now, lease)), key, subject, cutoff(lease))
        done += len(ids)
        ids = claim(size, now, lease) if batch + 1 < max_batches else []
        settle(sending.result(), now)
    return done


def _next_attempt(outcome: Outcome, now: datetime) -> datetime:
    if outcome.retry_after is not None:
        return now + timedelta(seconds=outcome.retry_after)
    backoff = setting("PUSH_RETRY_BASE_SECONDS") * 2 ** (outcome.item.attempts - 1)
    return now + timedelta(seconds=min(backoff, 3600))


def _row(outcome: Outcome, now: datetime) -> dict:
    kind = outcome.kind
    if kind == RETRY and outcome.item.attempts >= setting("PUSH_MAX_ATTEMPTS"):
        kind = FAILED
    row = {"b_id": outcome.item.delivery_id, "b_worker": WORKER_ID, "b_attempts": outcome.item.attempts,
           "b_status": "pending" if kind == RETRY else kind,
           "b_code": outcome.status, "b_error": outcome.error[:200], "b_next": now,
           "b_sent": now if kind == DELIVERED else None}
    if kind == RETRY:
        row["b_next"] = _next_attempt(outcome, now)
    return row


def settle(outcomes: list[Outcome], now: datetime) -> None:
    table = PushDelivery.__table__
    # Only while the row is still this claim's: after a lapsed lease it may be another worker's now.
    stmt = (table.update().where(table.c.id == bindparam("b_id"), table.c.status == "pending",
                                 table.c.claimed_by == bindparam("b_worker"),
                                 table.c.attempts == bindparam("b_attempts"))
            .values(status=bindparam("b_status"), last_status=bindparam("b_code"), error=bindparam("b_error"),
                    next_attempt_at=bindparam("b_next"), sent_at=bindparam("b_sent"), lease_until=None))
    db.session.execute(stmt, [_row(o, now) for o in outcomes])
    _touch_devices({o.item.subscription_id for o in outcomes if o.kind == DELIVERED}, now)
    _drop_devices({o.item.subscription_id for o in outcomes if o.kind == GONE and o.item.subscription_id})
    db.session.commit()


def _touch_devices(ids: set[int], now: datetime) -> None:
    if ids:
        db.session.execute(update(PushSubscription).where(PushSubscription.id.in_(ids))
                           .values(last_success_at=now).execution_options(synchronize_session=False))


def _drop_devices(ids: set[int]) -> None:
    """The push service says these devices are gone: forget them and what was waiting for them."""
    if not ids:
        return
    table = PushDelivery.__table__
    db.session.execute(table.update().where(table.c.subscription_id.in_(ids), table.c.status == "pending")
                       .values(status=GONE, lease_until=None))
    db.session.execute(PushSubscription.__table__.delete().where(PushSubscription.__table__.c.id.in_(ids)))
