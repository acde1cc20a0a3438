"""Saying the same thing twice at the same moment, against the real database: every answer is a success,
and one row is left, never a 409 from the unique index that one of the two requests ran into."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from backend.extensions import db
from backend.guide.models import GuideFeedback
from backend.push.models import PushSubscription
from tests import factories, pushtools
from tests import guide_factories as gf
from tests.pushservice import new_keys

THREADS = 8
ROUNDS = 5


def race(clients, path: str, body: dict) -> list[int]:
    """Every client posts the same body at once (a barrier lines them up)."""
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(len(clients))

    def post(client):
        barrier.wait()
        return client.post(path, json=body).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(post, clients))


def the_same_person_on(make_client, user, n: int = THREADS) -> list:
    return [factories.logged_in(make_client(), user) for _ in range(n)]


def test_the_same_device_subscribed_twice_at_once_is_saved_once(app, make_client, resident):
    pushtools.configure(app)
    clients = the_same_person_on(make_client, resident)
    for n in range(ROUNDS):
        _, p256dh, auth = new_keys()
        body = {"endpoint": f"https://fcm.googleapis.com/fcm/send/race{n}", "keys": {"p256dh": p256dh, "auth": auth}}
        assert race(clients, "/api/v1/push/subscriptions", body) == [201] * THREADS
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == ROUNDS


def test_the_same_feedback_twice_at_once_is_saved_once(make_client, community, resident):
    clients = the_same_person_on(make_client, resident)
    for _ in range(ROUNDS):
        item = gf.create_item(community)
        path = f"/api/v1/communities/{community.id}/guide/items/{item.id}/feedback"
        assert race(clients, path, {"helpful": True, "comment": "有用"}) == [200] * THREADS
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(GuideFeedback).filter_by(item_id=item.id)) == 1
