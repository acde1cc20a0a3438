"""The reads every open app repeats: few statements, nothing read while serialising, built statements reused,
and no answer kept that would outlive a revocation or an edit."""
import os
from datetime import UTC, datetime

import pytest
from flask import jsonify
from sqlalchemy import delete, event, text, update
from sqlalchemy.orm import Session

from backend.accounts.models import Membership, User
from backend.extensions import db
from backend.facilities import services as facilities
from backend.facilities.schemas import FacilityBriefSchema
from backend.notices import reading
from backend.notices.schemas import NoticePageSchema, ReaderNoticeSchema
from tests import factories
from tests import guide_factories as gf
from tests.notice_factories import create_notice
from tests.querycount import count_queries

ON_POSTGRES = os.environ.get("TEST_ON_POSTGRES") == "1"
# A Monday, 10:00 in Shenzhen: the office hours of the guide factories are open.
MONDAY_10AM = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def notices_url(community, path: str = "") -> str:
    return f"/api/v1/communities/{community.id}/notices{path}"


def _statements(client, url: str) -> list[str]:
    client.get(url)  # the session cookie settled, the notice opened: the request below is an ordinary one
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return [s for s in statements if s.strip().upper() != "BEGIN"]


@pytest.mark.parametrize("path", ["", "?category=service", "/unread-count", "/{id}"])
def test_a_residents_hot_read_is_the_principal_and_one_statement(resident_client, community, staff, path):
    for n in range(3):
        notice = create_notice(community, staff, title=f"通知 {n}")
    statements = _statements(resident_client, notices_url(community, path.format(id=notice.id)))
    assert len(statements) == 2, statements


def test_the_facility_list_is_one_statement_however_long(client, community):
    url = f"/api/v1/communities/{community.id}/facilities"
    assert client.get(url).json == []  # none yet: the community is asked for apart, to tell this from a 404
    assert client.get("/api/v1/communities/999999/facilities").status_code == 404
    for _ in range(5):
        gf.create_facility(community)
    assert len(_statements(client, url)) == 1
    assert len(client.get(url).json) == 5


@pytest.mark.parametrize("query", [{}, {"lat": 22.541, "lng": 113.941}, {"open_now": False}])
def test_the_facility_list_is_what_its_schema_dumps(community, query):
    """The list is dumped without marshmallow: what it shows must stay what the documented schema says."""
    closed = [{"start": "2026-11-30", "end": "2026-11-30", "kind": "closed", "ranges": [], "note": "闭馆"}]
    made = [gf.create_facility(community, accessibility=["wheelchair"], address="1号", phone="0755-1"),
            gf.create_facility(community, lat=22.55, exceptions=closed), gf.create_facility(community, hours={})]
    listed = facilities.find_facilities(community.id, now=MONDAY_10AM, **query)
    rows = {f.id: f for f in facilities.with_state("Asia/Shanghai", made, MONDAY_10AM)}
    for item in listed:
        rows[item["id"]].distance_m = item["distance_m"]  # worked out by the list (None unless near a point)
    assert listed == FacilityBriefSchema(many=True).dump([rows[item["id"]] for item in listed])
    assert {item["state"]["status"] for item in listed} >= ({"closed"} if query else {"open", "closed", "unknown"})


def as_sent(answer):
    """An answer as the client reads it: through the app's JSON encoder (it writes datetimes as the schemas do)."""
    return jsonify(answer).get_json()


def test_the_notice_list_and_a_notice_are_what_their_schemas_dump(community, staff, resident):
    """Both are dumped without marshmallow: what they show, as encoded, must stay what the documented schemas say."""
    later = datetime(2099, 1, 1, tzinfo=UTC)
    notices = [create_notice(community, staff, title=f"通知 {n}", pinned=n == 1, ack_required=n == 2,
                             expires_at=later if n == 0 else None) for n in range(4)]
    reading.open_notice(community.id, resident, notices[0].id)
    reading.acknowledge(community.id, resident, notices[2].id)
    page = reading.list_for_reader(community.id, resident, limit=3)
    rows = {r.notice_id: r for r in db.session.scalars(reading._visible(), reading._reader(community.id, resident))}
    listed = [rows[item["id"]] for item in page["items"]]
    assert as_sent(page) == NoticePageSchema().dump({"items": listed, "next_cursor": page["next_cursor"]})
    assert page["next_cursor"] and {item["read_at"] is None for item in page["items"]} == {True, False}
    for notice in notices[:2]:
        opened = reading.open_notice(community.id, resident, notice.id)
        assert as_sent(opened) == ReaderNoticeSchema().dump(reading._recipient(community.id, resident, notice.id))
    assert opened["author"] == staff.name and opened["body_html"]


def _disable(user, _client):
    user.active = False
    db.session.commit()


def _log_out_elsewhere(user, client):
    assert client.post("/api/v1/auth/logout").status_code == 204


def _remove_role(user, _client):
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.commit()


@pytest.mark.parametrize("revoke, status", [(_disable, 401), (_log_out_elsewhere, 401), (_remove_role, 403)])
def test_a_revocation_holds_on_the_very_next_hot_read(make_client, community, staff, resident, revoke, status):
    notice = create_notice(community, staff)
    phone, tablet = factories.logged_in(make_client(), resident), factories.logged_in(make_client(), resident)
    reads = [notices_url(community), notices_url(community, "/unread-count"), notices_url(community, f"/{notice.id}")]
    for url in reads:
        assert phone.get(url).status_code == 200
    revoke(resident, tablet)
    assert [phone.get(url).status_code for url in reads] == [status] * len(reads)


def _rename(user):
    user.name = "新名字"


def _make_admin_by_statement(user):
    db.session.execute(update(User).where(User.id == user.id).values(is_admin=True))


@pytest.mark.parametrize("change, field, value", [(_rename, "name", "新名字"),
                                                  (_make_admin_by_statement, "is_admin", True)])
def test_a_change_to_the_users_row_shows_on_the_very_next_read(resident_client, resident, change, field, value):
    assert resident_client.get("/api/v1/auth/me").json[field] != value  # the row read, and remembered
    change(resident)
    db.session.commit()
    assert resident_client.get("/api/v1/auth/me").json[field] == value


def test_a_new_user_given_a_deleted_users_id_is_not_taken_for_them(make_client):
    gone = factories.create_user(name="旧用户")
    user_id, client = gone.id, factories.logged_in(make_client(), gone)
    assert client.get("/api/v1/auth/me").json["name"] == "旧用户"  # the row read, and remembered
    db.session.delete(gone)
    db.session.commit()
    new = factories.create_user(name="新用户", id=user_id)
    assert factories.logged_in(make_client(), new).get("/api/v1/auth/me").json["name"] == "新用户"


def test_hours_changed_within_the_minute_show_at_once(community):
    facility = gf.create_facility(community)
    assert facilities.find_facilities(community.id, now=MONDAY_10AM)[0]["state"]["open_now"] is True
    facility.hours = {"mon": [["14:00", "17:00"]]}
    db.session.commit()
    [found] = facilities.find_facilities(community.id, now=MONDAY_10AM.replace(second=30))
    assert found["state"]["open_now"] is False and datetime.fromisoformat(found["state"]["next_open_at"]).hour == 14


def test_a_hot_read_takes_one_connection_and_gives_it_back_whatever_it_answers(resident_client, community, staff):
    """The hot reads run on a connection of their own (see `without_transaction`), principal and all: one taken from
    the pool and given back after an answer or a refusal; opening a
    notice writes through the session, and the read after the write sees it."""
    notice = create_notice(community, staff)
    url, unread, opening = notices_url(community), notices_url(community, "/unread-count"), notices_url(
        community, f"/{notice.id}")
    taken, begun = [], []

    def took(*_):
        taken.append(1)

    def began(*_):
        begun.append(1)
    event.listen(db.engine.pool, "checkout", took)
    event.listen(Session, "after_begin", began)  # the session's transactions, on a connection
    try:
        # (An id beyond the column's range is refused by routing, before anything is read.)
        for path, status, connections in [(url, 200, 1), (unread, 200, 1), (notices_url(community, "/999999"), 404, 1),
                                          (notices_url(community, f"/{2**40}"), 404, 0)]:
            taken.clear()
            assert resident_client.get(path).status_code == status, path
            assert (len(taken), begun, db.engine.pool.checkedout()) == (connections, [], 0), path
        assert resident_client.get(unread).json == {"unread": 1}
        taken.clear()
        opened = resident_client.get(opening).json
        assert opened["read_at"] is not None and len(taken) >= 2 and db.engine.pool.checkedout() == 0
        assert begun  # the write, through the session
    finally:
        event.remove(db.engine.pool, "checkout", took)
        event.remove(Session, "after_begin", began)
    assert resident_client.get(unread).json == {"unread": 0}
    assert resident_client.get(url).json["items"][0]["read_at"] == opened["read_at"]


@pytest.mark.skipif(not ON_POSTGRES, reason="a server's connections cut off: PostgreSQL")
def test_after_the_database_restarts_one_hot_read_fails_and_the_next_ones_answer(resident_client, community):
    """The hot reads' own connections are the pool's: one found dead (the server restarted) is not given back,
    and neither is any other the pool holds, so the failure is one request, not one per pooled connection."""
    url = notices_url(community, "/unread-count")
    clients = [resident_client.get(url).status_code for _ in range(3)]
    held = [db.engine.raw_connection() for _ in range(3)]  # the pool holds a few, as a busy server's does
    for connection in held:
        connection.close()
    db.session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    db.session.commit()
    statuses = [resident_client.get(url).status_code for _ in range(4)]
    assert clients == [200] * 3 and statuses.count(500) <= 1 and statuses[1:] == [200] * 3, statuses
