"""Devices, preferences, and putting messages in the outbox (in the caller's transaction)."""
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from backend.common.db import upsert
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound
from backend.extensions import db
from backend.push.models import PushDelivery, PushMessage, PushPreference, PushSubscription

MAX_DEVICES = 10
MAX_PAYLOAD = 3993  # 4096 minus the aes128gcm header (86), tag (16) and padding delimiter (1)
CHUNK = 2000
ALWAYS_PUSHED = "urgent"
OWN_CATEGORIES = ("booking",)  # pushed by domains whose messages fit no notice category


def list_subscriptions(user) -> list[PushSubscription]:
    stmt = select(PushSubscription).filter_by(user_id=user.id).order_by(PushSubscription.id)
    return list(db.session.scalars(stmt))


def subscribe(user, endpoint: str, keys: dict, user_agent: str = "", old_endpoint: str | None = None):
    """Save a device: the same endpoint again updates it; another user's device moves only with its keys.

    The keys (above all the auth secret) reach us only from the browser that holds the subscription, so
    the same endpoint with the same keys is that browser with someone else logged in (a shared phone):
    the device follows them. The endpoint alone, a URL that can leak, proves nothing and changes nothing.
    """
    if old_endpoint and old_endpoint != endpoint:
        _remove(select(PushSubscription).filter_by(user_id=user.id, endpoint=old_endpoint))
    sub_id = db.session.scalar(_upsert(user, endpoint, keys, user_agent))
    if sub_id is None:
        raise Conflict("This device is registered to another account.", "endpoint_taken")
    # What was waiting for the device's last user must not ring for the next one.
    cancel_pending((PushDelivery.subscription_id == sub_id) & (PushDelivery.user_id != user.id))
    _keep_newest(user)
    db.session.commit()
    return db.session.get(PushSubscription, sub_id)


def _upsert(user, endpoint: str, keys: dict, user_agent: str):
    """One statement, so two requests for the same device at once both succeed instead of racing."""
    values = {"user_id": user.id, "p256dh": keys["p256dh"], "auth": keys["auth"], "user_agent": user_agent}
    stmt = upsert(PushSubscription).values(endpoint=endpoint, **values)
    table = PushSubscription.__table__.c
    same_browser = (table.user_id == stmt.excluded.user_id) | (
        (table.p256dh == stmt.excluded.p256dh) & (table.auth == stmt.excluded.auth))
    return (stmt.on_conflict_do_update(index_elements=["endpoint"], set_=values, where=same_browser)
            .returning(PushSubscription.id))


def _keep_newest(user) -> None:
    ids = list(db.session.scalars(select(PushSubscription.id).filter_by(user_id=user.id)
                                  .order_by(PushSubscription.id.desc()).offset(MAX_DEVICES)))
    if ids:
        _remove(select(PushSubscription).where(PushSubscription.id.in_(ids)))


def _remove(stmt) -> int:
    subs = list(db.session.scalars(stmt))
    for sub in subs:
        cancel_pending(PushDelivery.subscription_id == sub.id, "gone")
        db.session.delete(sub)
    return len(subs)


def unsubscribe(user, endpoint: str) -> None:
    if not _remove(select(PushSubscription).filter_by(user_id=user.id, endpoint=endpoint)):
        raise NotFound("No such device.")
    db.session.commit()


def cancel_pending(condition, status: str = "cancelled") -> None:
    db.session.execute(update(PushDelivery).where(condition, PushDelivery.status == "pending")
                       .values(status=status, lease_until=None))


def default_categories() -> list[str]:
    from backend.notices.models import CATEGORIES
    return [*CATEGORIES, *OWN_CATEGORIES]


def get_preferences(user) -> PushPreference:
    return db.session.get(PushPreference, user.id) or _default_preference(user.id)


def _default_preference(user_id: int) -> PushPreference:
    return PushPreference(user_id=user_id, categories=default_categories(), quiet_enabled=True,
                          quiet_start="22:00", quiet_end="07:00")


def save_preferences(user, **fields) -> PushPreference:
    pref = get_preferences(user)
    for name, value in fields.items():
        setattr(pref, name, value)
    # Urgent notices always ring; each category once, in the order given.
    pref.categories = list(dict.fromkeys([ALWAYS_PUSHED, *pref.categories]))
    db.session.add(pref)
    db.session.commit()
    return pref


def quiet_until(pref: PushPreference, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When the user's quiet hours end, if `now` falls inside them; None otherwise."""
    if not pref.quiet_enabled or pref.quiet_start == pref.quiet_end:
        return None
    local = now.astimezone(tz)
    start, end, t = time.fromisoformat(pref.quiet_start), time.fromisoformat(pref.quiet_end), local.time()
    quiet = start <= t < end if start < end else (t >= start or t < end)
    if not quiet:
        return None
    ends = datetime.combine(local.date(), end, tzinfo=tz)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(now.tzinfo)


def fit_payload(payload: dict, shorten: str = "body") -> str:
    """JSON no longer than a push message may carry, shortening one text field if needed."""
    payload = dict(payload)
    while True:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        over = len(text.encode()) - MAX_PAYLOAD
        if over <= 0 or not payload.get(shorten):
            return text
        raw = payload[shorten].encode()
        keep = len(raw) - over - 3  # the ellipsis is three bytes
        payload[shorten] = raw[:keep].decode(errors="ignore").rstrip() + "…" if keep > 0 else ""


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _preferences(user_ids: Sequence[int]) -> dict[int, PushPreference]:
    prefs = {}
    for chunk in _chunks(user_ids):
        prefs.update({p.user_id: p for p in db.session.scalars(
            select(PushPreference).where(PushPreference.user_id.in_(chunk)))})
    return prefs


def _devices(user_ids: Sequence[int]) -> list[tuple[int, int]]:
    rows = []
    for chunk in _chunks(user_ids):
        rows += db.session.execute(select(PushSubscription.id, PushSubscription.user_id)
                                   .where(PushSubscription.user_id.in_(chunk))).all()
    return rows


def enqueue(community, user_ids: Sequence[int], payload: dict, source: str, topic: str, category: str,
            ttl: int, now: datetime | None = None) -> int:
    """Write one delivery per device of these users; the caller commits, so it is all or nothing."""
    message = add_message(community, payload, source, topic, category, ttl)
    return add_deliveries(community, message.id, user_ids, category, now or utcnow())


def add_message(community, payload: dict, source: str, topic: str, category: str, ttl: int) -> PushMessage:
    # Every copy of this message carries one id: a copy sent again after a worker died is shown once.
    payload = {**payload, "message_id": uuid.uuid4().hex}
    message = PushMessage(community_id=community.id, source=source, topic=topic, ttl=ttl,
                          urgency="high" if category == ALWAYS_PUSHED else "normal", payload=fit_payload(payload))
    db.session.add(message)
    db.session.flush()
    return message


def add_deliveries(community, message_id: int, user_ids: Sequence[int], category: str, now: datetime) -> int:
    """One delivery of the message per device of these users; a device that already has one keeps it."""
    rows = [{"community_id": community.id, "message_id": message_id, "subscription_id": sub_id,
             "user_id": user_id, "status": "pending", "attempts": 0, "next_attempt_at": due}
            for sub_id, user_id, due in _planned(community, user_ids, category, now)]
    for chunk in _chunks(rows):
        db.session.execute(upsert(PushDelivery).on_conflict_do_nothing(
            index_elements=["message_id", "subscription_id"]), list(chunk))
    return len(rows)


def _planned(community, user_ids: Sequence[int], category: str, now: datetime) -> list[tuple[int, int, datetime]]:
    """(device, user, when) for each device that takes this category: now, or when quiet hours end."""
    urgent = category == ALWAYS_PUSHED
    user_ids = sorted(set(user_ids))
    prefs, tz = _preferences(user_ids), ZoneInfo(community.timezone)
    planned = []
    for sub_id, user_id in _devices(user_ids):
        pref = prefs.get(user_id) or _default_preference(user_id)
        if not urgent and category not in pref.categories:
            continue
        planned.append((sub_id, user_id, now if urgent else (quiet_until(pref, now, tz) or now)))
    return planned


def reach(community, user_ids: Sequence[int], category: str, now: datetime | None = None) -> dict:
    """How many phones a push would reach: ringing now, and after their quiet hours."""
    now = now or utcnow()
    planned = _planned(community, user_ids, category, now)
    later = sum(1 for _, _, due in planned if due > now)
    return {"phones": len(planned) - later, "phones_later": later}


def forget_messages(source: str) -> None:
    """Stop what has not been sent yet for this source (e.g. a withdrawn notice)."""
    ids = select(PushMessage.id).filter_by(source=source).scalar_subquery()
    cancel_pending(PushDelivery.message_id.in_(ids))


def delete_source(source: str) -> None:
    db.session.execute(delete(PushMessage).filter_by(source=source))
