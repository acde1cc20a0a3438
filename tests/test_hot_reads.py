"""The reads every open app repeats: few statements, nothing read while serialising, built statements reused,
and no answer kept that would outlive a revocation or an edit."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from backend.accounts.models import Membership
from backend.extensions import db
from backend.facilities import services as facilities
from backend.notices import reading
from backend.notices.schemas import NoticePageSchema, ReaderNoticeSchema
from tests import factories
from tests import guide_factories as gf
from tests.notice_factories import create_notice
from tests.querycount import count_queries

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


def test_the_facility_list_is_three_statements_however_long(client, community):
    for _ in range(5):
        gf.create_facility(community)
    assert len(_statements(client, f"/api/v1/communities/{community.id}/facilities")) == 3


def test_nothing_is_read_while_a_notice_list_or_a_notice_is_serialised(community, staff, resident):
    notice = create_notice(community, staff)
    reading.open_notice(community.id, resident, notice.id)  # read once: opening it again only reads
    db.session.expire_all()
    page = reading.list_for_reader(community.id, resident)
    with count_queries() as serialising:
        listed = NoticePageSchema().dump(page)
    db.session.expire_all()
    opened = reading.open_notice(community.id, resident, notice.id)
    with count_queries() as serialising_one:
        shown = ReaderNoticeSchema().dump(opened)
    assert serialising == serialising_one == []
    assert listed["items"][0]["title"] == shown["title"] and shown["author"] == staff.name


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


def test_hours_changed_within_the_minute_show_at_once(community):
    facility = gf.create_facility(community)
    assert facilities.find_facilities(community.id, now=MONDAY_10AM)[0].state.open_now is True
    facility.hours = {"mon": [["14:00", "17:00"]]}
    db.session.commit()
    [found] = facilities.find_facilities(community.id, now=MONDAY_10AM.replace(second=30))
    assert found.state.open_now is False and found.state.next_open_at.hour == 14
