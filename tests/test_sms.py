"""Logging in and resetting a password with a code texted to the phone (the console provider: the code is
read from its log line, as whoever runs `make run` reads it from the terminal)."""
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend import create_app
from backend.extensions import db
from backend.sms.models import SmsMessage
from tests import factories
from tests.conftest import TEST_CONFIG, ApiClient
from tests.test_sms_providers import ALIYUN_THROTTLED, Provider, configure

CODE_URL, LOGIN_URL, RESET_URL = "/api/v1/auth/sms-code", "/api/v1/auth/sms-login", "/api/v1/auth/sms-reset"
NEW_PASSWORD = "river-stone-2026"
UNKNOWN_PHONE = "13799998888"


class Texts(logging.Handler):
    """The console provider's log lines: phone and the code in each, as texted."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def codes(self, phone: str) -> list[str]:
        return [re.search(r"\b(\d{6})\b", line).group(1) for line in self.lines if phone in line]

    def code(self, phone: str) -> str:
        return self.codes(phone)[-1]


@pytest.fixture
def texts():
    handler, logger = Texts(), logging.getLogger("backend.sms")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def ask(client, phone: str, purpose: str = "login"):
    return client.post(CODE_URL, json={"phone": phone, "purpose": purpose})


def age_requests(seconds: int) -> None:
    """As if every code so far had been asked for `seconds` earlier (the per-phone limits count from then)."""
    for message in db.session.scalars(select(SmsMessage)):
        message.created_at -= timedelta(seconds=seconds)
    db.session.commit()


def rows() -> list[SmsMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


def test_a_texted_code_logs_in(make_client, resident, texts):
    phone = make_client()
    r = ask(phone, resident.phone)
    assert r.status_code == 202 and r.json == {"resend_after": 60, "expires_in": 300}
    code = texts.code(resident.phone)
    r = phone.post(LOGIN_URL, json={"phone": resident.phone, "code": code})
    assert r.status_code == 200 and r.json["id"] == resident.id and r.json["phone"] == resident.phone
    assert "care_mode" in r.json and "locale" in r.json  # the profile's settings, as a password login answers
    assert phone.get("/api/v1/auth/me").status_code == 200
    [sent] = rows()
    assert (sent.purpose, sent.status, sent.provider, sent.user_id) == ("login", "sent", "console", resident.id)
    assert sent.used_at is not None and sent.provider_message_id and code not in sent.code_hash
    again = make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": code})
    assert again.status_code == 422 and again.json["code"] == "sms_code_invalid"


def test_an_unknown_phone_gets_the_same_answer_and_no_text(client, resident, texts):
    known, unknown = ask(client, resident.phone), ask(client, UNKNOWN_PHONE)
    assert unknown.status_code == known.status_code == 202 and unknown.json == known.json
    assert texts.codes(UNKNOWN_PHONE) == [] and len(texts.codes(resident.phone)) == 1
    skipped = rows()[1]
    assert (skipped.phone, skipped.status, skipped.code_hash, skipped.user_id) == (UNKNOWN_PHONE, "skipped", None, None)
    # And the same limits, so a 429 says nothing about accounts either.
    assert ask(client, UNKNOWN_PHONE).status_code == ask(client, resident.phone).status_code == 429
    r = client.post(LOGIN_URL, json={"phone": UNKNOWN_PHONE, "code": "123456"})
    assert r.status_code == 422 and r.json["code"] == "sms_code_invalid"


def test_a_disabled_account_gets_no_text_and_no_login(app, make_client, community, texts):
    user = factories.create_user(community)
    code = (ask(make_client(), user.phone), texts.code(user.phone))[1]
    user.active = False
    db.session.commit()
    assert make_client().post(LOGIN_URL, json={"phone": user.phone, "code": code}).status_code == 422
    age_requests(61)
    assert ask(make_client(), user.phone).status_code == 202
    assert len(texts.codes(user.phone)) == 1  # nothing more was sent
    assert rows()[-1].status == "skipped"


def test_wrong_tries_void_the_code(app, make_client, resident, texts):
    ask(make_client(), resident.phone)
    code = texts.code(resident.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(app.config["SMS_CODE_TRIES"]):
        r = make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": wrong})
        assert r.status_code == 422 and r.json["code"] == "sms_code_invalid"
    assert make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": code}).status_code == 422


def test_an_expired_or_replaced_code_does_not_work(make_client, resident, texts):
    ask(make_client(), resident.phone)
    first = texts.code(resident.phone)
    age_requests(61)
    assert ask(make_client(), resident.phone).status_code == 202
    second = texts.code(resident.phone)
    assert make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": first}).status_code == 422
    for message in rows():  # five minutes pass
        message.created_at -= timedelta(minutes=5)
        message.expires_at -= timedelta(minutes=5)
    db.session.commit()
    assert make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": second}).status_code == 422


def test_a_login_code_does_not_reset_and_a_reset_code_does_not_log_in(make_client, resident, texts):
    ask(make_client(), resident.phone, "login")
    login_code = texts.code(resident.phone)
    age_requests(61)
    ask(make_client(), resident.phone, "reset")
    reset_code = texts.code(resident.phone)
    r = make_client().post(RESET_URL, json={"phone": resident.phone, "code": login_code, "new_password": NEW_PASSWORD})
    assert r.status_code == 422
    assert make_client().post(LOGIN_URL, json={"phone": resident.phone, "code": reset_code}).status_code == 422


def test_one_code_a_minute_per_phone(make_client, resident, texts):
    assert ask(make_client(), resident.phone).status_code == 202
    r = ask(make_client(), resident.phone, "reset")  # another purpose, the same phone
    assert r.status_code == 429 and r.json["code"] == "sms_too_soon" and 55 <= r.json["details"]["retry_after"] <= 60
    assert len(texts.codes(resident.phone)) == 1
    age_requests(61)
    assert ask(make_client(), resident.phone).status_code == 202


def test_five_codes_an_hour_per_phone(app, make_client, resident, texts):
    for _ in range(app.config["SMS_PHONE_HOURLY"]):
        assert ask(make_client(), resident.phone).status_code == 202
        age_requests(10 * 60)  # ten minutes pass
    r = ask(make_client(), resident.phone)
    # The oldest of the five was asked for 50 minutes ago: the next one may go in ten minutes.
    assert r.status_code == 429 and 9 * 60 <= r.json["details"]["retry_after"] <= 10 * 60
    age_requests(10 * 60)
    assert ask(make_client(), resident.phone).status_code == 202
    assert len(texts.codes(resident.phone)) == app.config["SMS_PHONE_HOURLY"] + 1


def test_requests_at_once_for_one_phone_send_one_code(app, resident, texts):
    phone = resident.phone
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(8)

    def go(_):
        client = app.test_client()
        client.get("/api/v1/auth/csrf")
        barrier.wait()
        return ask(client, phone).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(go, range(8)))
    assert sorted(codes) == [202] + [429] * 7
    assert len(rows()) == 1 and len(texts.codes(phone)) == 1


def test_phones_racing_with_one_code_log_in_once(app, resident, texts):
    ask(app.test_client(), resident.phone)
    code, phone = texts.code(resident.phone), resident.phone
    db.session.commit()
    barrier = threading.Barrier(6)

    def go(_):
        client = app.test_client()
        client.get("/api/v1/auth/csrf")
        barrier.wait()
        return client.post(LOGIN_URL, json={"phone": phone, "code": code}).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(go, range(6)))
    assert sorted(codes) == [200] + [422] * 5
    assert rows()[0].used_at is not None


def test_guesses_at_once_get_no_more_tries_than_allowed(app, resident, texts):
    ask(app.test_client(), resident.phone)
    code, phone = texts.code(resident.phone), resident.phone
    db.session.commit()
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 11)]
    barrier = threading.Barrier(len(wrong))

    def guess(attempt):
        client = app.test_client()
        client.get("/api/v1/auth/csrf")
        barrier.wait()
        return client.post(LOGIN_URL, json={"phone": phone, "code": attempt}).status_code

    with ThreadPoolExecutor(len(wrong)) as pool:
        assert set(pool.map(guess, wrong)) == {422}
    assert rows()[0].attempts == app.config["SMS_CODE_TRIES"]
    assert app.test_client().post(LOGIN_URL, json={"phone": phone, "code": code}).status_code == 422


def test_a_texted_code_resets_the_password_and_ends_other_sessions(make_client, resident_client, resident, texts):
    phone = make_client()
    assert ask(phone, resident.phone, "reset").status_code == 202
    code = texts.code(resident.phone)
    weak = phone.post(RESET_URL, json={"phone": resident.phone, "code": code, "new_password": "12345678"})
    assert weak.status_code == 422 and "new_password" in weak.json["errors"]  # the code is kept
    r = phone.post(RESET_URL, json={"phone": resident.phone, "code": code, "new_password": NEW_PASSWORD})
    assert r.status_code == 200 and r.json["id"] == resident.id
    assert phone.get("/api/v1/auth/me").status_code == 200
    assert resident_client.get("/api/v1/auth/me").status_code == 401
    assert make_client().post("/api/v1/auth/login", json={"phone": resident.phone, "password": factories.PASSWORD}
                              ).status_code == 401
    factories.logged_in(make_client(), resident, NEW_PASSWORD)
    again = make_client().post(RESET_URL, json={"phone": resident.phone, "code": code, "new_password": "another-2027x"})
    assert again.status_code == 422 and again.json["code"] == "sms_code_invalid"


@pytest.mark.parametrize("url, body", [
    (CODE_URL, {}), (CODE_URL, {"phone": "12345", "purpose": "login"}),
    (CODE_URL, {"phone": "13711112222", "purpose": "notice"}),
    (LOGIN_URL, {"phone": "13711112222", "code": "12345"}), (LOGIN_URL, {"phone": "13711112222", "code": "abcdef"}),
    (RESET_URL, {"phone": "13711112222", "code": "123456"}),
    (RESET_URL, {"phone": "13711112222", "code": "123456", "new_password": "short"})])
def test_bad_input_is_a_clear_422(client, url, body):
    r = client.post(url, json=body)
    assert r.status_code == 422 and r.json["errors"]


def test_a_provider_that_fails_is_a_503_and_leaves_no_live_code(app, client, resident):
    server = Provider()
    configure(app, "aliyun", server.url)
    server.answer = (500, {"Code": "ServiceUnavailable", "Message": "The service is not available.", "RequestId": "r"})
    try:
        r = ask(client, resident.phone)
    finally:
        server.close()
    assert r.status_code == 503 and r.json["code"] == "sms_unavailable" and r.json["message"]
    [failed] = rows()
    assert failed.status == "failed" and failed.expires_at <= failed.created_at + timedelta(seconds=5)


def test_a_provider_refusing_the_phone_for_now_is_a_429(app, client, resident):
    server = Provider()
    configure(app, "aliyun", server.url)
    server.answer = (200, ALIYUN_THROTTLED)
    try:
        r = ask(client, resident.phone)
    finally:
        server.close()
    assert r.status_code == 429 and r.json["code"] == "sms_too_soon"
    assert [m.status for m in rows()] == ["throttled"]


def test_the_endpoints_are_public_and_need_the_csrf_header(make_client, resident):
    for url in (CODE_URL, LOGIN_URL, RESET_URL):
        bare = make_client()
        bare.csrf = False
        assert bare.post(url, json={}).status_code == 403
    assert ask(make_client(), resident.phone).status_code == 202  # nobody logged in


@pytest.fixture
def limited_app(app, database_url):
    """After `app`: the process has one limiter, and the app made last decides whether it is on."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "SMS_ADDRESS_LIMIT": "3 per minute"})
    app.test_client_class = ApiClient
    yield app
    with app.app_context():
        db.engine.dispose()


def test_codes_per_address_are_limited(limited_app, texts):
    phones = [f"1370000{n:04d}" for n in range(4)]
    client = limited_app.test_client()
    assert [ask(client, phone).status_code for phone in phones] == [202, 202, 202, 429]
    assert db.session.scalar(select(func.count()).select_from(SmsMessage)) == 3
