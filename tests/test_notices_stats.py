"""Who has read a notice: counts per grid, the unread list, reminders; and who may ask."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import fanout
from backend.notices.models import Notice
from backend.push.models import PushDelivery
from tests import factories, pushtools
from tests.notice_factories import create_notice


@pytest.fixture(autouse=True)
def push_config(app):
    pushtools.configure(app)


@pytest.fixture
def push_service():
    yield from pushtools.running_service()


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/notices"


@pytest.fixture
def street(community):
    """Grid A with three residents, grid B with two."""
    grids = factories.create_grid(community, "A网格"), factories.create_grid(community, "B网格")
    people = []
    for grid, n in zip(grids, (3, 2)):
        building = factories.create_building(community, grid=grid)
        for i in range(n):
            home = factories.create_dwelling(community, building, room=f"{i + 1}01")
            people.append(factories.create_resident(community, dwelling=home, name=f"{grid.name}居民{i}"))
    return grids, people


def read_as(make_client, community, user, notice, ack=False):
    client = factories.logged_in(make_client(), user)
    client.get(f"{base(community)}/{notice.id}")
    if ack:
        client.post(f"{base(community)}/{notice.id}/acknowledge")


def test_stats_count_per_grid(staff_client, make_client, community, staff, street, push_service):
    (grid_a, grid_b), people = street
    for person in people[:4]:
        pushtools.add_device(push_service, person)
    notice = create_notice(community, staff, push=True, category="urgent", ack_required=True)
    gone = db.session.scalar(select(PushDelivery).filter_by(user_id=people[3].id))
    push_service.script({"endpoint": gone.subscription.endpoint}, 410)
    pushtools.deliver_all()
    read_as(make_client, community, people[0], notice, ack=True)
    read_as(make_client, community, people[1], notice)
    read_as(make_client, community, people[3], notice, ack=True)
    stats = staff_client.get(f"{base(community)}/manage/{notice.id}/stats").json
    assert {k: stats[k] for k in ("addressed", "pushed", "delivered", "read", "acknowledged")} == {
        "addressed": 5, "pushed": 4, "delivered": 3, "read": 3, "acknowledged": 2}
    assert stats["grids"] == [
        {"grid_id": grid_a.id, "grid_name": "A网格", "addressed": 3, "pushed": 3, "delivered": 3, "read": 2,
         "acknowledged": 1},
        {"grid_id": grid_b.id, "grid_name": "B网格", "addressed": 2, "pushed": 1, "delivered": 0, "read": 1,
         "acknowledged": 1}]


def test_the_unread_list_has_phone_and_dwelling(staff_client, make_client, community, staff, street):
    (grid_a, _), people = street
    notice = create_notice(community, staff)
    read_as(make_client, community, people[0], notice)
    page = staff_client.get(f"{base(community)}/manage/{notice.id}/unread").json
    unread = page["items"]
    assert [u["user_id"] for u in unread] == [p.id for p in people[1:]] and page["next_cursor"] is None
    assert unread[0] == {"user_id": people[1].id, "name": "A网格居民1", "phone": people[1].phone,
                         "dwelling": people[1].residencies[0].dwelling.label, "grid": "A网格"}
    only_a = staff_client.get(f"{base(community)}/manage/{notice.id}/unread?grid_id={grid_a.id}&limit=1").json
    assert [u["user_id"] for u in only_a["items"]] == [people[1].id] and only_a["next_cursor"]


def test_remind_pushes_only_to_the_unread(staff_client, make_client, community, staff, street, push_service):
    _, people = street
    devices = {p.id: pushtools.add_device(push_service, p) for p in people}
    notice = create_notice(community, staff, push=False)
    read_as(make_client, community, people[0], notice)
    reminded = staff_client.post(f"{base(community)}/manage/{notice.id}/remind")
    assert reminded.json == {"reminded": 4, "deliveries": 0}  # the worker writes them
    fanout.drain()
    progress = staff_client.get(f"{base(community)}/manage/{notice.id}/stats").json["progress"]
    assert {k: progress[k] for k in ("kind", "status", "done", "total", "deliveries")} == {
        "kind": "remind", "status": "done", "done": 4, "total": 4, "deliveries": 4}
    pushtools.deliver_all(utcnow() + timedelta(hours=12))  # past any quiet hours
    assert push_service.received_by(devices[people[0].id]) == []
    got = push_service.received_by(devices[people[1].id])[0]
    assert got.payload["title"].startswith("【提醒】") and got.topic == f"notice-{notice.id}"


def test_a_second_reminder_must_wait(staff_client, community, staff, street):
    notice = create_notice(community, staff)
    staff_client.post(f"{base(community)}/manage/{notice.id}/remind")
    again = staff_client.post(f"{base(community)}/manage/{notice.id}/remind")
    assert again.status_code == 409 and again.json["code"] == "reminded_recently"
    db.session.execute(Notice.__table__.update().values(last_reminded_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    assert staff_client.post(f"{base(community)}/manage/{notice.id}/remind").status_code == 200


def test_withdrawn_notices_cannot_be_reminded(staff_client, community, staff, street):
    notice = create_notice(community, staff)
    staff_client.post(f"{base(community)}/manage/{notice.id}/withdraw")
    assert staff_client.post(f"{base(community)}/manage/{notice.id}/remind").status_code == 409


@pytest.mark.parametrize("query", ["grid_id=x", "building_id=0", "limit=0", "limit=201", "cursor=" + "x" * 101])
def test_bad_unread_query_is_refused(staff_client, community, staff, query):
    notice = create_notice(community, staff)
    assert staff_client.get(f"{base(community)}/manage/{notice.id}/unread?{query}").status_code == 422


# Who may ask

READER = [("get", ""), ("get", "/unread-count"), ("get", "/search?q=停水"), ("get", "/{id}"),
          ("post", "/{id}/acknowledge")]
STAFF = [("get", "/manage"), ("post", "/manage"), ("get", "/manage/{id}"), ("patch", "/manage/{id}"),
         ("delete", "/manage/{id}"), ("post", "/manage/{id}/publish"), ("post", "/manage/{id}/withdraw"),
         ("get", "/manage/{id}/stats"), ("get", "/manage/{id}/progress"), ("get", "/manage/{id}/unread"),
         ("post", "/manage/{id}/remind")]


def call(client, community, notice, method, path):
    url = base(community) + path.format(id=notice.id)
    body = {"post": {}, "patch": {"title": "改个标题"}}.get(method)  # an empty PATCH is a 422 of its own
    return getattr(client, method)(url, json=body)


@pytest.mark.parametrize("method, path", READER + STAFF)
def test_anonymous_callers_must_log_in(client, community, staff, method, path):
    notice = create_notice(community, staff, ack_required=True)
    assert call(client, community, notice, method, path).status_code == 401


@pytest.mark.parametrize("method, path", STAFF)
def test_residents_may_not_manage_notices(resident_client, community, staff, resident, method, path):
    notice = create_notice(community, staff, ack_required=True)
    response = call(resident_client, community, notice, method, path)
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    db.session.refresh(notice)
    assert notice.status == "published" and notice.last_reminded_at is None


@pytest.mark.parametrize("method, path", READER + STAFF)
def test_staff_of_another_community_are_refused(make_client, community, other_community, staff, resident,
                                                method, path):
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    notice = create_notice(community, staff, ack_required=True)
    assert call(outsider, community, notice, method, path).status_code == 403
    db.session.refresh(notice)
    assert notice.status == "published"


@pytest.mark.parametrize("method, path", [p for p in READER + STAFF if "{id}" in p[1]])
def test_another_communitys_notice_is_not_found_through_ones_own(make_client, community, other_community, staff,
                                                                 resident, method, path):
    theirs = create_notice(community, staff, ack_required=True)
    own_staff = factories.create_user(other_community, role="staff")
    factories.create_resident(other_community)
    mine = factories.logged_in(make_client(), own_staff)
    assert call(mine, other_community, theirs, method, path).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 1
