"""Hardening of accounts: rate limits behind a proxy and across workers, per-account and per-user limits
on failures, login timing for unknown phones, and weak passwords."""
import logging
import uuid

import pytest
import redis
from sqlalchemy import func, select

from backend import create_app
from backend.accounts import services
from backend.accounts.models import User
from backend.extensions import db, limiter
from tests import factories
from tests.conftest import TEST_CONFIG, ApiClient
from tests.test_auth import create_invite, register_body

LOGIN = "/api/v1/auth/login"
REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def make_limited_app(app, database_url):
    """Apps with rate limits on (memory storage unless told), sharing the test's database."""
    made = []

    def make(**config):
        limited = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                              "RATELIMIT_STORAGE_URI": "memory://", "AUTH_RATE_LIMIT": "100 per minute",
                              **config})
        limited.test_client_class = ApiClient
        made.append(limited)
        return limited

    yield make
    for limited in made:
        with limited.app_context():
            db.engine.dispose()
    limiter._storage_dead = False  # the process's one limiter: a dead store seen here is not the next app's


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own, its keys deleted afterwards (others may share the server)."""
    prefix = f"test-auth-limits-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    # The limiter keeps the first prefix it was given for every later app of this process.
    limiter._key_prefix = ""


def login(client, phone, password, **headers):
    return client.post(LOGIN, json={"phone": phone, "password": password}, headers=headers)


# Item 2: addresses behind a proxy, counts shared by workers, failures per account and per user.

def test_a_forged_forwarded_for_does_not_escape_the_limit_without_a_proxy(make_limited_app):
    client = make_limited_app(AUTH_RATE_LIMIT="3 per minute").test_client()
    codes = [login(client, "13800000000", "wrong-pass", **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code
             for n in range(4)]
    assert codes == [401, 401, 401, 429]


def test_with_the_shared_store_down_limits_are_counted_in_memory_not_refused(make_limited_app):
    nothing_there = "redis://127.0.0.1:1/0"
    client = make_limited_app(AUTH_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=nothing_there).test_client()
    assert [login(client, "13800000000", "wrong-pass").status_code for _ in range(4)] == [401, 401, 401, 429]


def test_behind_a_trusted_proxy_each_resident_has_their_own_allowance(make_limited_app):
    limited = make_limited_app(AUTH_RATE_LIMIT="3 per minute", TRUSTED_PROXIES=1)
    first, second = limited.test_client(), limited.test_client()
    codes = [login(first, "13800000000", "wrong-pass", **{"X-Forwarded-For": "203.0.113.1"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert login(second, "13800000001", "wrong-pass", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 401


def test_workers_share_one_count_through_redis(make_limited_app, redis_prefix):
    config = {"AUTH_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": REDIS_URL,
              "RATELIMIT_KEY_PREFIX": redis_prefix}
    # Each worker builds its own app and storage connection; only a shared store sees the other's hits.
    first = make_limited_app(**config).test_client()
    assert [login(first, "13800000000", "wrong-pass").status_code for _ in range(2)] == [401, 401]
    second = make_limited_app(**config).test_client()
    assert [login(second, "13800000000", "wrong-pass").status_code for _ in range(2)] == [401, 429]


def test_memory_storage_with_several_workers_warns_at_start(make_limited_app, caplog):
    with caplog.at_level(logging.WARNING):
        make_limited_app(WEB_CONCURRENCY=3)
    assert any("RATELIMIT_STORAGE_URI" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_one_worker_or_redis_does_not_warn(make_limited_app, caplog):
    with caplog.at_level(logging.WARNING):
        make_limited_app(WEB_CONCURRENCY=1)
        make_limited_app(WEB_CONCURRENCY=3, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert not [r for r in caplog.records if "RATELIMIT_STORAGE_URI" in r.getMessage()]


def test_failed_logins_lock_the_phone_not_the_address(make_limited_app, community):
    target, neighbour = factories.create_resident(community), factories.create_resident(community)
    client = make_limited_app(LOGIN_FAILURE_LIMIT="3 per 15 minutes").test_client()
    assert [login(client, target.phone, "wrong-pass").status_code for _ in range(3)] == [401] * 3
    r = login(client, "+86 " + target.phone, factories.PASSWORD)  # the right password, written another way
    assert r.status_code == 429 and r.json["code"] == "rate_limited" and "Retry-After" in r.headers
    assert r.json["message"] == "Too many failed logins for this phone number. Try again later."
    assert login(client, neighbour.phone, factories.PASSWORD).status_code == 200


def test_successful_logins_do_not_count_as_failures(make_limited_app, resident):
    client = make_limited_app(LOGIN_FAILURE_LIMIT="2 per 15 minutes").test_client()
    assert [login(client, resident.phone, factories.PASSWORD).status_code for _ in range(4)] == [200] * 4


def test_unknown_phones_are_counted_like_known_ones(make_limited_app):
    client = make_limited_app(LOGIN_FAILURE_LIMIT="2 per 15 minutes").test_client()
    assert [login(client, "13999999999", "wrong-pass").status_code for _ in range(3)] == [401, 401, 429]


def add_home(client, community, code):
    return client.post("/api/v1/auth/residencies", json={"community_id": community.id, "invite_code": code})


def test_failed_invite_guesses_are_limited_per_user(make_limited_app, community, other_community):
    guesser, neighbour = factories.create_resident(community), factories.create_resident(community)
    invite = create_invite(other_community, max_uses=5)
    limited = make_limited_app(INVITE_FAILURE_LIMIT="3 per hour")
    guessing = factories.logged_in(limited.test_client(), guesser)
    codes = [add_home(guessing, other_community, f"WRONG{n}23").status_code for n in range(3)]
    assert codes == [422] * 3
    r = add_home(guessing, other_community, invite.code)
    assert r.status_code == 429 and r.json["code"] == "rate_limited" and "Retry-After" in r.headers
    other = factories.logged_in(limited.test_client(), neighbour)  # same address, another account
    assert add_home(other, other_community, invite.code).status_code == 201


def test_adding_homes_is_limited_per_address(make_limited_app, community):
    limited = make_limited_app(AUTH_RATE_LIMIT="3 per minute")
    first, second = (factories.logged_in(limited.test_client(), factories.create_resident(community))
                     for _ in range(2))  # two of the three logins this address may make
    codes = [add_home(c, community, "NOPE2345").status_code for c in (first, first, second, second)]
    assert codes == [422, 422, 422, 429]


# Item 3: an unknown phone costs the same hash as a known one.

@pytest.mark.parametrize("method", ["scrypt", TEST_CONFIG["PASSWORD_HASH_METHOD"]])
def test_unknown_phones_are_checked_against_a_hash_of_the_configured_method(database_url, monkeypatch, method):
    checked = []
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checked.append(h) or False)
    configured = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "PASSWORD_HASH_METHOD": method})
    with configured.app_context():
        with pytest.raises(services.WrongCredentials):
            services.login("13999999999", "some-password")
        expected = services.hash_password("x").split("$")[0]
        db.engine.dispose()
    assert [h.split("$")[0] for h in checked] == [expected]


# Item 11: passwords that are easy to guess.

WEAK = "This password is too easy to guess."
EASY = ["12345678", "password", " " * 8, "13800138000", "aaaaaaaaaaaa"]


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("password", EASY)
def test_register_refuses_easy_passwords(client, community, password):
    dwelling = factories.create_dwelling(community)
    body = register_body(community, password=password, dwelling_id=dwelling.id, relation="owner")
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 422 and r.json["code"] == "weak_password"
    assert r.json["errors"] == {"password": [WEAK]}
    assert count_users() == 0


def test_register_refuses_the_name_as_password(client, community):
    dwelling = factories.create_dwelling(community)
    body = register_body(community, name="zhangxiuying", password="zhangxiuying",
                         dwelling_id=dwelling.id, relation="owner")
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 422 and r.json["errors"] == {"password": [WEAK]}


@pytest.mark.parametrize("password", [*EASY, "own phone"])
def test_password_change_refuses_easy_passwords(resident_client, resident, password):
    before = resident.password_hash
    new_password = resident.phone if password == "own phone" else password
    r = resident_client.post("/api/v1/auth/password", json={"current_password": factories.PASSWORD,
                                                            "new_password": new_password})
    assert r.status_code == 422 and r.json["code"] == "weak_password"
    assert r.json["errors"] == {"new_password": [WEAK]}
    db.session.refresh(resident)
    assert resident.password_hash == before


def test_staff_appointment_refuses_easy_passwords(make_client, community):
    admin_client = factories.logged_in(make_client(), factories.create_user(is_admin=True))
    r = admin_client.post(f"/api/v1/admin/communities/{community.id}/staff",
                          json={"phone": "13800138001", "name": "新干事", "password": "password"})
    assert r.status_code == 422 and r.json["code"] == "weak_password" and r.json["errors"] == {"password": [WEAK]}
    r = admin_client.post(f"/api/v1/admin/communities/{community.id}/staff",
                          json={"phone": "13800138001", "name": "新干事", "password": "Neighbour-2026"})
    assert r.status_code == 201
