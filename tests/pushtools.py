"""Helpers for tests that push: a VAPID key, the loopback push service, devices, and running the outbox."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from backend.accounts.models import Membership, Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Dwelling
from backend.push.models import PushSubscription
from backend.push.sender import send_due
from backend.push.vapid import new_private_pem
from tests.pushservice import PushService

VAPID_PEM = new_private_pem().decode()
# The loopback push service speaks http on 127.0.0.1: allowed only in a TESTING app (the benchmark's too).
PUSH_CONFIG = {"VAPID_PRIVATE_KEY": VAPID_PEM, "TESTING": True, "PUSH_ALLOW_INSECURE_ENDPOINTS": True,
               "PUSH_TIMEOUT_SECONDS": 1.0, "PUSH_CONCURRENCY": 16}


def configure(app) -> None:
    app.config.update(PUSH_CONFIG)
    app.extensions.pop("vapid", None)


def running_service(**kwargs):
    service = PushService(**kwargs).start()
    try:
        yield service
    finally:
        service.stop()


def add_device(service: PushService, user, **kwargs) -> dict:
    """A subscription made by the push service (it keeps the private key), saved for `user`."""
    info = service.subscribe()
    db.session.add(PushSubscription(user_id=user.id, endpoint=info["endpoint"], p256dh=info["keys"]["p256dh"],
                                    auth=info["keys"]["auth"], **kwargs))
    db.session.commit()
    return info


def deliver_all(now=None, rounds: int = 100) -> int:
    """Run the outbox until nothing is due at `now` (default: now); returns deliveries handled."""
    total = 0
    for _ in range(rounds):
        done = send_due(now or utcnow())
        total += done
        if not done:
            return total
    raise AssertionError("the outbox did not drain")


def later(**kwargs):
    return utcnow() + timedelta(**kwargs)


def bulk_residents(community, n: int, building, relation: str = "owner") -> list[int]:
    """Many verified residents at once, written in bulk so a big fan-out test stays quick."""
    first = db.session.scalar(select(func.coalesce(func.max(User.id), 0))) + 1
    ids = list(range(first, first + n))
    db.session.execute(insert(User), [{"id": i, "phone": f"155{i:08d}", "name": f"居民{i}", "password_hash": "x"}
                                      for i in ids])
    db.session.execute(insert(Membership), [{"community_id": community.id, "user_id": i, "role": "resident"}
                                            for i in ids])
    db.session.execute(insert(Dwelling), [{"id": i + 100_000, "community_id": community.id, "building_id": building.id,
                                           "unit": "1", "room": str(i), "label": f"{building.name}{i}",
                                           "floor_area": Decimal("80")} for i in ids])
    db.session.execute(insert(Residency), [{"community_id": community.id, "user_id": i, "dwelling_id": i + 100_000,
                                            "relation": relation, "status": "verified", "verified_at": utcnow()}
                                           for i in ids])
    db.session.commit()
    return ids


def bulk_devices(service, user_ids: list[int]) -> dict[int, dict]:
    return insert_devices({uid: service.subscribe() for uid in user_ids})


def insert_devices(infos: dict[int, dict]) -> dict[int, dict]:
    db.session.execute(insert(PushSubscription), [
        {"user_id": uid, "endpoint": i["endpoint"], "p256dh": i["keys"]["p256dh"], "auth": i["keys"]["auth"]}
        for uid, i in infos.items()])
    db.session.commit()
    return infos
