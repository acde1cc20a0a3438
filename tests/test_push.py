"""Web Push: VAPID key, devices, preferences, and the outbox sender against the loopback push service."""
import asyncio
import json
import threading
import time

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.notices.models import CATEGORIES
from backend.push import endpoints, services, vapid
from backend.push.models import PushDelivery, PushPreference, PushSubscription
from backend.push.sender import claim, client, hold, load, send_due, settle
from tests import factories, pushtools
from tests.pushservice import HANG, new_keys

SUBS = "/api/v1/push/subscriptions"
PREFS = "/api/v1/push/preferences"


@pytest.fixture(autouse=True)
def push_config(app):
    pushtools.configure(app)


@pytest.fixture
def push_service():
    yield from pushtools.running_service()


def device_body(endpoint="https://fcm.googleapis.com/fcm/send/abc123", **extra):
    _, p256dh, auth = new_keys()
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}, **extra}


def enqueue(community, users, category="policy", payload=None, now=None):
    count = services.enqueue(community, [u.id for u in users], payload or {"title": "停水通知", "body": "明天停水"},
                             "test:1", "notice-1", category, 3600, now)
    db.session.commit()
    return count


def deliveries(**filters):
    return list(db.session.scalars(select(PushDelivery).filter_by(**filters).order_by(PushDelivery.id)))


# The VAPID key


def test_vapid_public_key_is_a_p256_point_and_stable(client):
    first = client.get("/api/v1/push/vapid-public-key").json["public_key"]
    assert len(vapid.b64url_decode(first)) == 65 and vapid.b64url_decode(first)[0] == 4
    assert client.get("/api/v1/push/vapid-public-key").json["public_key"] == first


def test_vapid_key_is_made_once_under_instance(app, tmp_path):
    app.config["VAPID_PRIVATE_KEY"] = ""
    app.instance_path = str(tmp_path)
    key = vapid.public_key()
    app.extensions.pop("vapid")
    assert vapid.public_key() == key
    assert (tmp_path / "vapid_private.pem").stat().st_mode & 0o777 == 0o600


# Devices


def test_subscribe_lists_and_unsubscribes(resident_client):
    body = device_body(user_agent="Android Chrome")
    created = resident_client.post(SUBS, json=body)
    assert created.status_code == 201 and created.json["user_agent"] == "Android Chrome"
    assert [s["endpoint"] for s in resident_client.get(SUBS).json] == [body["endpoint"]]
    assert resident_client.post(f"{SUBS}/remove", json={"endpoint": body["endpoint"]}).status_code == 204
    assert resident_client.get(SUBS).json == []
    assert resident_client.post(f"{SUBS}/remove", json={"endpoint": body["endpoint"]}).status_code == 404


def test_subscribing_again_updates_the_device(resident_client):
    body = device_body()
    resident_client.post(SUBS, json=body)
    again = device_body(body["endpoint"])
    resident_client.post(SUBS, json=again)
    assert db.session.scalar(select(PushSubscription.p256dh)) == again["keys"]["p256dh"]
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_renewed_subscription_replaces_the_old_one(resident_client):
    old = device_body("https://fcm.googleapis.com/fcm/send/old")
    resident_client.post(SUBS, json=old)
    resident_client.post(SUBS, json=device_body(old_endpoint=old["endpoint"]))
    assert [s["endpoint"] for s in resident_client.get(SUBS).json] == ["https://fcm.googleapis.com/fcm/send/abc123"]


def test_a_device_that_changed_hands_moves_to_the_new_user(resident_client, make_client, community):
    body = device_body()
    resident_client.post(SUBS, json=body)
    other = factories.logged_in(make_client(), factories.create_resident(community))
    other.post(SUBS, json=body)
    assert resident_client.get(SUBS).json == [] and len(other.get(SUBS).json) == 1


def test_a_user_keeps_at_most_ten_devices(resident_client):
    for n in range(12):
        resident_client.post(SUBS, json=device_body(f"https://fcm.googleapis.com/fcm/send/{n}"))
    endpoints = [s["endpoint"] for s in resident_client.get(SUBS).json]
    assert len(endpoints) == 10 and endpoints[0].endswith("/2")


@pytest.mark.parametrize("change, field", [
    ({"endpoint": "http://fcm.googleapis.com/x"}, "endpoint"),
    ({"endpoint": "https://10.0.0.5/x"}, "endpoint"),
    ({"endpoint": "https://localhost/x"}, "endpoint"),
    ({"endpoint": "not a url"}, "endpoint"),
    ({"keys": {"p256dh": "AAAA", "auth": "c2l4dGVlbiBieXRlcyEhIQ"}}, "keys"),
    ({"keys": {"p256dh": new_keys()[1], "auth": "c2hvcnQ"}}, "keys"),
    ({"keys": None}, "keys"),
    ({"user_agent": "x" * 201}, "user_agent"),
])
def test_bad_device_is_refused_and_nothing_saved(app, resident_client, change, field):
    app.config["PUSH_ALLOW_INSECURE_ENDPOINTS"] = False
    response = resident_client.post(SUBS, json={**device_body(), **change})
    assert response.status_code == 422 and field in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize("method, url", [("get", SUBS), ("post", SUBS), ("post", f"{SUBS}/remove"),
                                         ("get", PREFS), ("put", PREFS)])
def test_devices_and_preferences_need_login(client, method, url):
    response = getattr(client, method)(url, json={})
    assert response.status_code == 401 and response.json["code"] == "unauthorized"


def test_one_cannot_remove_another_users_device(resident_client, make_client, community):
    body = device_body()
    resident_client.post(SUBS, json=body)
    other = factories.logged_in(make_client(), factories.create_resident(community))
    assert other.post(f"{SUBS}/remove", json={"endpoint": body["endpoint"]}).status_code == 404
    assert len(resident_client.get(SUBS).json) == 1


# Preferences


def test_preferences_default_to_everything_and_quiet_nights(resident_client):
    assert resident_client.get(PREFS).json == {"categories": [*CATEGORIES, "booking"], "quiet_enabled": True,
                                               "quiet_start": "22:00", "quiet_end": "07:00"}


def test_preferences_are_saved_and_urgent_is_always_on(resident_client):
    saved = resident_client.put(PREFS, json={"categories": ["activity"], "quiet_start": "21:30"}).json
    assert saved["categories"] == ["urgent", "activity"] and saved["quiet_start"] == "21:30"
    assert resident_client.get(PREFS).json == saved


def test_each_category_is_kept_once(resident_client):
    saved = resident_client.put(PREFS, json={"categories": ["other"] * 5}).json
    assert saved["categories"] == ["urgent", "other"]


@pytest.mark.parametrize("body, field", [
    ({"categories": ["gossip"]}, "categories"), ({"quiet_start": "24:00"}, "quiet_start"),
    ({"quiet_end": "7:00"}, "quiet_end"), ({"quiet_enabled": "yes"}, "quiet_enabled"),
])
def test_bad_preferences_are_refused_and_nothing_saved(resident_client, body, field):
    response = resident_client.put(PREFS, json=body)
    assert response.status_code == 422 and field in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(PushPreference)) == 0


# Putting messages in the outbox


def test_quiet_hours_defer_ordinary_pushes_to_the_morning(community, resident, push_service):
    pushtools.add_device(push_service, resident)
    night = pushtools.utcnow().replace(hour=15, minute=0, second=0, microsecond=0)  # 23:00 in Shanghai
    enqueue(community, [resident], "policy", now=night)
    assert deliveries()[0].next_attempt_at == night.replace(hour=23)  # 07:00 next day in Shanghai


def test_urgent_pushes_ignore_quiet_hours(community, resident, push_service):
    pushtools.add_device(push_service, resident)
    night = pushtools.utcnow().replace(hour=15, minute=0, second=0, microsecond=0)
    enqueue(community, [resident], "urgent", now=night)
    assert deliveries()[0].next_attempt_at == night


def test_categories_the_user_turned_off_are_not_pushed(community, resident, push_service):
    pushtools.add_device(push_service, resident)
    services.save_preferences(resident, categories=["policy"])
    assert enqueue(community, [resident], "activity") == 0
    assert enqueue(community, [resident], "urgent") == 1


def test_a_huge_text_is_cut_to_fit_one_push_message(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent", {"title": "通知", "body": "很长的内容" * 2000})
    pushtools.deliver_all()
    (got,) = push_service.received_by(info)
    assert len(json.dumps(got.payload, ensure_ascii=False, separators=(",", ":")).encode()) <= 3993
    assert got.payload["body"].startswith("很长的内容") and got.payload["body"].endswith("…")


# Sending


def test_a_push_arrives_encrypted_with_ttl_topic_and_urgency(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent")
    assert pushtools.deliver_all() == 1
    (got,) = push_service.received_by(info)
    assert (got.payload["title"], got.ttl, got.topic, got.urgency) == ("停水通知", 3600, "notice-1", "high")
    assert push_service.errors == []
    row = deliveries()[0]
    assert (row.status, row.last_status, row.attempts) == ("delivered", 201, 1)


def test_ordinary_pushes_have_normal_urgency(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "policy", now=pushtools.utcnow().replace(hour=4))  # noon in Shanghai
    pushtools.deliver_all(pushtools.later(hours=24))
    assert push_service.received_by(info)[0].urgency == "normal"


@pytest.mark.parametrize("answer", [404, 410])
def test_a_gone_device_is_forgotten(community, resident, push_service, answer):
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, answer)
    enqueue(community, [resident], "urgent")
    pushtools.deliver_all()
    assert deliveries()[0].status == "gone"
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_too_large_is_failed_without_retry(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, 413)
    enqueue(community, [resident], "urgent")
    pushtools.deliver_all(pushtools.later(days=1))
    assert (deliveries()[0].status, deliveries()[0].attempts) == ("failed", 1)


def test_rate_limited_waits_for_retry_after(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, (429, 120))
    enqueue(community, [resident], "urgent")
    now = pushtools.utcnow()
    pushtools.deliver_all(now)
    row = deliveries()[0]
    assert row.status == "pending" and abs((row.next_attempt_at - now).total_seconds() - 120) < 1
    pushtools.deliver_all(now + pushtools.timedelta(seconds=119))
    assert push_service.received_by(info) == []
    pushtools.deliver_all(now + pushtools.timedelta(seconds=121))
    assert len(push_service.received_by(info)) == 1 and deliveries()[0].status == "delivered"


def test_server_errors_back_off_then_succeed(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, 500, 503)
    enqueue(community, [resident], "urgent")
    now = pushtools.utcnow()
    pushtools.deliver_all(now)
    assert deliveries()[0].next_attempt_at == now + pushtools.timedelta(seconds=30)
    pushtools.deliver_all(now + pushtools.timedelta(seconds=31))
    assert deliveries()[0].attempts == 2 and deliveries()[0].next_attempt_at > now + pushtools.timedelta(seconds=90)
    pushtools.deliver_all(now + pushtools.timedelta(hours=1))
    assert deliveries()[0].status == "delivered" and len(push_service.received_by(info)) == 1


def test_server_errors_give_up_after_the_limit(app, community, resident, push_service):
    app.config["PUSH_MAX_ATTEMPTS"] = 3
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, 500, 500, 500, 500)
    enqueue(community, [resident], "urgent")
    for hours in range(1, 6):
        pushtools.deliver_all(pushtools.later(hours=hours))
    assert (deliveries()[0].status, deliveries()[0].attempts) == ("failed", 3)


def test_a_hanging_push_service_times_out_and_is_retried(app, community, resident, push_service):
    app.config["PUSH_TIMEOUT_SECONDS"] = 0.3
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, HANG)
    enqueue(community, [resident], "urgent")
    pushtools.deliver_all()
    assert deliveries()[0].status == "pending" and deliveries()[0].error
    pushtools.deliver_all(pushtools.later(minutes=5))
    assert deliveries()[0].status == "delivered"


def test_the_vapid_token_is_signed_once_per_push_service(community, push_service, monkeypatch):
    signed = []
    original = vapid.Vapid02.sign
    monkeypatch.setattr(vapid.Vapid02, "sign", lambda self, claims: signed.append(claims) or original(self, claims))
    vapid._tokens.clear()
    users = [factories.create_resident(community) for _ in range(5)]
    for user in users:
        pushtools.add_device(push_service, user)
    enqueue(community, users, "urgent")
    pushtools.deliver_all()
    assert len(push_service.received) == 5 and len(signed) == 1
    assert signed[0]["aud"] == push_service.origin and signed[0]["sub"].startswith("mailto:")


def test_a_claimed_batch_is_not_taken_again_until_its_lease_ends(community, resident, push_service):
    pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent")
    now = pushtools.utcnow()
    assert len(claim(10, now, lease=60, worker_id="dead-worker")) == 1
    assert send_due(now + pushtools.timedelta(seconds=59)) == 0
    assert send_due(now + pushtools.timedelta(seconds=61)) == 1
    assert deliveries()[0].status == "delivered" and deliveries()[0].attempts == 2


def test_unsubscribing_cancels_what_was_waiting(community, resident, resident_client, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent")
    resident_client.post(f"{SUBS}/remove", json={"endpoint": info["endpoint"]})
    pushtools.deliver_all()
    assert deliveries()[0].status == "gone" and push_service.received == []


# Only the browsers' push services (a user must not aim the worker at our own network)


@pytest.mark.parametrize("endpoint", [
    "https://127.1/x", "https://2130706433/x", "https://0x7f000001/x", "https://localhost./x",
    "https://metadata.google.internal/computeMetadata/v1/", "https://[::1]/x", "https://169.254.169.254/x",
    "https://fcm.googleapis.com.evil.example/x", "https://evilfcm.googleapis.com/x",
    "https://fcm.googleapis.com./x", "https://fcm.googleapis.com:8443/x", "https://x@fcm.googleapis.com/x",
    "https://evil.example\\@fcm.googleapis.com/x", "https://internal.example/x", "https://[::1/x",
])
def test_only_known_push_services_are_accepted(app, resident_client, endpoint):
    app.config["PUSH_ALLOW_INSECURE_ENDPOINTS"] = False
    response = resident_client.post(SUBS, json=device_body(endpoint))
    assert response.status_code == 422 and "endpoint" in response.json["errors"], response.json
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/abc", "https://android.googleapis.com/gcm/send/abc",
    "https://updates.push.services.mozilla.com/wpush/v2/abc", "https://web.push.apple.com/QGx",
    "https://wns2-bl2p.notify.windows.com/w/?token=abc", "https://FCM.googleapis.com:443/fcm/send/abc",
])
def test_the_browsers_push_services_are_accepted(app, resident_client, endpoint):
    app.config["PUSH_ALLOW_INSECURE_ENDPOINTS"] = False
    assert resident_client.post(SUBS, json=device_body(endpoint)).status_code == 201


def test_more_push_services_can_be_allowed_on_dot_boundaries(app, resident_client):
    app.config.update(PUSH_ALLOW_INSECURE_ENDPOINTS=False, PUSH_ALLOWED_HOSTS="push.example.net")
    assert resident_client.post(SUBS, json=device_body("https://eu.push.example.net/a")).status_code == 201
    assert resident_client.post(SUBS, json=device_body("https://evilpush.example.net/a")).status_code == 422
    assert resident_client.post(SUBS, json=device_body("https://fcm.googleapis.com/a")).status_code == 422


def test_the_insecure_switch_works_only_in_tests(app, resident_client, push_service):
    app.config.update(TESTING=False, PUSH_ALLOW_INSECURE_ENDPOINTS=True)
    response = resident_client.post(SUBS, json=push_service.subscribe())
    assert response.status_code == 422 and "endpoint" in response.json["errors"]


def test_a_stored_endpoint_that_is_not_a_push_service_is_never_posted_to(app, community, resident, push_service):
    info = pushtools.add_device(push_service, resident)  # saved before the rule, or by hand
    app.config["PUSH_ALLOW_INSECURE_ENDPOINTS"] = False
    enqueue(community, [resident], "urgent")
    pushtools.deliver_all()
    assert push_service.requests[push_service.sub_id(info)] == 0
    assert (deliveries()[0].status, deliveries()[0].error) == ("failed", "Must be an https push service URL.")


def test_an_allowed_address_literal_must_be_public_at_send_time(app, community, resident):
    app.config.update(PUSH_ALLOW_INSECURE_ENDPOINTS=False, PUSH_ALLOWED_HOSTS="127.0.0.1")
    _, p256dh, auth = new_keys()
    db.session.add(PushSubscription(user_id=resident.id, endpoint="https://127.0.0.1/push/x", p256dh=p256dh,
                                    auth=auth))
    db.session.commit()
    enqueue(community, [resident], "urgent")
    pushtools.deliver_all()
    assert (deliveries()[0].status, deliveries()[0].error) == ("failed", "Not a public address.")


def test_an_allowed_name_that_resolves_inward_is_not_connected_to():
    resolver = endpoints.GuardedResolver()
    with pytest.raises(endpoints.BlockedAddress):
        asyncio.run(resolver.resolve("localhost", 443))
    assert asyncio.run(endpoints.GuardedResolver(allow_private=True).resolve("localhost", 443))


# A device changes hands only with its keys


def test_another_users_endpoint_without_its_keys_is_refused(resident_client, make_client, community):
    body = device_body()
    resident_client.post(SUBS, json=body)
    attacker = factories.logged_in(make_client(), factories.create_resident(community))
    response = attacker.post(SUBS, json=device_body(body["endpoint"]))
    assert response.status_code == 409 and response.json["code"] == "endpoint_taken"
    assert [s["endpoint"] for s in resident_client.get(SUBS).json] == [body["endpoint"]]
    assert attacker.get(SUBS).json == []
    assert db.session.scalar(select(PushSubscription.p256dh)) == body["keys"]["p256dh"]


def test_the_same_browser_moves_to_whoever_logs_in_and_leaves_the_last_users_pushes(
        community, resident, resident_client, make_client, push_service):
    info = push_service.subscribe()
    resident_client.post(SUBS, json=info)
    enqueue(community, [resident], "policy", now=pushtools.utcnow().replace(hour=15))  # deferred: quiet hours
    other = factories.logged_in(make_client(), factories.create_resident(community))
    assert other.post(SUBS, json=info).status_code == 201
    assert resident_client.get(SUBS).json == [] and len(other.get(SUBS).json) == 1
    assert deliveries()[0].status == "cancelled"  # the first user's notice must not ring for the second
    pushtools.deliver_all(pushtools.later(days=2))
    assert push_service.received == []


def test_old_endpoint_removes_only_the_posters_own_device(resident_client, make_client, community):
    victim = device_body("https://fcm.googleapis.com/fcm/send/victim")
    resident_client.post(SUBS, json=victim)
    attacker = factories.logged_in(make_client(), factories.create_resident(community))
    assert attacker.post(SUBS, json=device_body(old_endpoint=victim["endpoint"])).status_code == 201
    assert [s["endpoint"] for s in resident_client.get(SUBS).json] == [victim["endpoint"]]


# A re-sent delivery can be recognised, and a batch is never on the wire past its lease


def test_a_resent_delivery_carries_the_same_message_id(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent")
    now = pushtools.utcnow()
    ids = claim(10, now, lease=30, worker_id="dies-after-sending")
    client().submit(load(ids), vapid.vapid(), "mailto:test@example.com").result()  # sent, never settled
    assert send_due(now + pushtools.timedelta(seconds=31)) == 1  # the lease lapsed: sent again
    first, again = push_service.received_by(info)
    assert first.payload["message_id"] and first.payload["message_id"] == again.payload["message_id"]
    enqueue(community, [resident], "urgent")  # a reminder is a new message and rings again
    pushtools.deliver_all(now + pushtools.timedelta(minutes=1))
    assert push_service.received_by(info)[-1].payload["message_id"] != first.payload["message_id"]


def test_a_batch_in_flight_is_not_claimed_again_when_its_lease_ends(app, community, resident, push_service):
    app.config.update(PUSH_LEASE_SECONDS=2, PUSH_TIMEOUT_SECONDS=5.0)
    info = pushtools.add_device(push_service, resident)
    push_service.script(info, HANG)
    enqueue(community, [resident], "urgent")
    db.session.commit()
    finished = []
    worker = threading.Thread(target=_send_in_app_context, args=(app, finished))
    worker.start()
    time.sleep(2.5)  # past the lease: a second worker looks for work
    taken = claim(10, pushtools.utcnow(), lease=2, worker_id="second-worker")
    worker.join(10)
    # Past the lease the second worker would have taken the row had the first not settled it by then: the
    # first cut its batch off at the wire and settled it within its lease.
    assert taken == [], "the second worker took a delivery still on the wire"
    assert finished, "the first worker did not come back from the hanging push service"
    row = deliveries()[0]
    assert (row.status, row.error) == ("pending", "cut off at the lease") and row.claimed_by != "second-worker"


def _send_in_app_context(app, finished: list):
    with app.app_context():
        send_due()
        finished.append(time.monotonic())


def test_the_default_lease_is_short():
    from backend.config import Config
    assert Config.PUSH_LEASE_SECONDS <= 30


def test_a_worker_does_not_send_what_another_took_after_its_lease_lapsed(community, resident, push_service):
    info = pushtools.add_device(push_service, resident)
    enqueue(community, [resident], "urgent")
    now = pushtools.utcnow()
    mine = claim(10, now, lease=30)
    assert claim(10, now + pushtools.timedelta(seconds=31), lease=30, worker_id="other-worker") == mine
    assert hold(mine, now, lease=30) == []  # no longer ours: not put on the wire
    stale = client().submit(load(mine), vapid.vapid(), "mailto:test@example.com").result()
    settle(stale, now)  # an answer for the lapsed claim must not settle the other worker's
    assert (deliveries()[0].status, deliveries()[0].claimed_by) == ("pending", "other-worker")
    assert deliveries()[0].lease_until is not None and len(push_service.received_by(info)) == 1
