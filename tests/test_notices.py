"""Notices: staff draft, publish, schedule, edit and withdraw; residents list, open and acknowledge."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import fanout, services
from backend.notices.models import Notice, NoticeRecipient
from tests import factories
from tests.notice_factories import create_notice, notice_body
from tests.querycount import count_queries


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/notices"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Writing and publishing


def test_staff_write_a_draft_with_sanitised_body(staff_client, community):
    body = notice_body(body='<p onclick="x()">停水<script>alert(1)</script><img src="https://a.cn/p.png"></p>')
    created = staff_client.post(f"{base(community)}/manage", json=body)
    assert created.status_code == 201
    assert created.json["status"] == "draft" and created.json["author"]["name"] == "测试用户"
    assert created.json["body_html"] == '<p>停水<img src="https://a.cn/p.png"></p>'
    assert created.json["summary"] == "停水"


@pytest.mark.parametrize("change, field", [
    ({"title": " "}, "title"), ({"title": "题" * 101}, "title"), ({"body": ""}, "body"),
    ({"category": "gossip"}, "category"), ({"audience": {}}, "audience"),
    ({"audience": {"roles": ["mayor"]}}, "audience"), ({"audience": {"grid_ids": ["1"]}}, "audience"),
    ({"pinned": "yes"}, "pinned"), ({"expires_at": "2030-01-01T00:00:00"}, "expires_at"),
    ({"expires_at": "2020-01-01T00:00:00Z"}, "expires_at"), ({"push": "true"}, "push"),
    ({"expires_at": "9999-12-31T23:59:59-14:00"}, "expires_at"),  # beyond what UTC can hold
])
def test_bad_notice_is_refused_and_nothing_saved(staff_client, community, change, field):
    response = staff_client.post(f"{base(community)}/manage", json={**notice_body(), **change})
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert count(Notice) == 0


def test_another_communitys_grid_is_refused(staff_client, community, other_community):
    grid = factories.create_grid(other_community)
    response = staff_client.post(f"{base(community)}/manage", json=notice_body(audience={"grid_ids": [grid.id]}))
    assert response.status_code == 422 and "audience.grid_ids" in response.json["errors"]
    assert count(Notice) == 0


def test_publishing_addresses_every_verified_resident(staff_client, community, other_community, staff):
    residents = [factories.create_resident(community) for _ in range(3)]
    factories.create_resident(community, status="pending")
    factories.create_resident(other_community)
    draft = staff_client.post(f"{base(community)}/manage", json=notice_body()).json
    published = staff_client.post(f"{base(community)}/manage/{draft['id']}/publish", json={})
    assert published.status_code == 200 and published.json["status"] == "published"
    assert count(NoticeRecipient) == 0  # the worker addresses it
    fanout.drain()
    addressed = set(db.session.scalars(select(NoticeRecipient.user_id)))
    assert addressed == {r.id for r in residents}


def test_publishing_twice_is_a_conflict(staff_client, community, staff):
    notice = create_notice(community, staff, publish=False)
    staff_client.post(f"{base(community)}/manage/{notice.id}/publish", json={})
    again = staff_client.post(f"{base(community)}/manage/{notice.id}/publish", json={})
    assert again.status_code == 409 and again.json["code"] == "notice_not_draft"


def test_scheduling_waits_for_the_worker(staff_client, community, staff, resident):
    notice = create_notice(community, staff, publish=False)
    at = utcnow() + timedelta(hours=2)
    scheduled = staff_client.post(f"{base(community)}/manage/{notice.id}/publish", json={"publish_at": at.isoformat()})
    assert scheduled.json["status"] == "scheduled" and count(NoticeRecipient) == 0
    assert services.publish_due(utcnow() + timedelta(hours=1)) == 0
    assert services.publish_due(utcnow() + timedelta(hours=3)) == 1
    fanout.drain()
    db.session.refresh(notice)
    assert notice.status == "published" and count(NoticeRecipient) == 1
    assert services.publish_due(utcnow() + timedelta(hours=4)) == 0


def test_publish_time_must_be_aware_and_before_expiry(staff_client, community, staff):
    notice = create_notice(community, staff, publish=False, expires_at=utcnow() + timedelta(hours=1))
    url = f"{base(community)}/manage/{notice.id}/publish"
    assert "publish_at" in staff_client.post(url, json={"publish_at": "2030-01-01T08:00:00"}).json["errors"]
    late = (utcnow() + timedelta(hours=2)).isoformat()
    assert staff_client.post(url, json={"publish_at": late}).status_code == 422
    db.session.refresh(notice)
    assert notice.status == "draft"


def test_drafts_can_be_edited_freely(staff_client, community, staff):
    notice = create_notice(community, staff, publish=False)
    edited = staff_client.patch(f"{base(community)}/manage/{notice.id}", json={"title": "新标题", "push": True,
                                                                               "audience": {"roles": ["owner"]}})
    assert edited.status_code == 200 and edited.json["title"] == "新标题"
    assert edited.json["audience"]["roles"] == ["owner"] and edited.json["push"] is True


def test_published_notices_only_have_their_wording_corrected(staff_client, community, staff):
    notice = create_notice(community, staff)
    url = f"{base(community)}/manage/{notice.id}"
    assert staff_client.patch(url, json={"body": "<p>更正：后天停水</p>"}).json["summary"] == "更正：后天停水"
    locked = staff_client.patch(url, json={"audience": {"roles": ["owner"]}})
    assert locked.status_code == 409 and locked.json["code"] == "notice_published"


def test_bad_edit_changes_nothing(staff_client, community, staff):
    notice = create_notice(community, staff, publish=False)
    response = staff_client.patch(f"{base(community)}/manage/{notice.id}", json={"title": "", "category": "x"})
    assert response.status_code == 422 and set(response.json["errors"]) == {"title", "category"}
    db.session.refresh(notice)
    assert notice.title == "关于小区停水的通知"


def test_only_drafts_are_deleted(staff_client, community, staff):
    draft, published = create_notice(community, staff, publish=False), create_notice(community, staff)
    assert staff_client.delete(f"{base(community)}/manage/{draft.id}").status_code == 204
    assert staff_client.delete(f"{base(community)}/manage/{published.id}").status_code == 409
    assert count(Notice) == 1


def test_withdrawn_notices_disappear_for_residents(staff_client, resident_client, community, staff, resident):
    notice = create_notice(community, staff)
    assert staff_client.post(f"{base(community)}/manage/{notice.id}/withdraw").json["status"] == "withdrawn"
    assert resident_client.get(base(community)).json["items"] == []
    assert resident_client.get(f"{base(community)}/{notice.id}").status_code == 404
    assert staff_client.post(f"{base(community)}/manage/{notice.id}/withdraw").status_code == 409


def test_staff_list_everything_with_a_status_filter(staff_client, community, staff):
    create_notice(community, staff, publish=False, title="草稿")
    create_notice(community, staff, title="已发布")
    assert [n["title"] for n in staff_client.get(f"{base(community)}/manage?status=draft").json] == ["草稿"]
    assert len(staff_client.get(f"{base(community)}/manage").json) == 2
    assert staff_client.get(f"{base(community)}/manage?status=lost").status_code == 422


# Reading


def test_residents_see_pinned_first_then_newest(resident_client, community, staff, resident):
    old = create_notice(community, staff, title="旧")
    pinned = create_notice(community, staff, title="置顶", pinned=True)
    new = create_notice(community, staff, title="新")
    items = resident_client.get(base(community)).json["items"]
    assert [i["id"] for i in items] == [pinned.id, new.id, old.id]
    assert all(i["read_at"] is None for i in items) and "body_html" not in items[0]


def test_the_list_pages_with_a_cursor(resident_client, community, staff, resident):
    ids = [create_notice(community, staff, title=f"第{n}条", pinned=n == 3).id for n in range(7)]
    seen, cursor = [], None
    while True:
        page = resident_client.get(base(community), query_string={"limit": 2, **({"cursor": cursor} if cursor else {})})
        seen += [i["id"] for i in page.json["items"]]
        if not (cursor := page.json["next_cursor"]):
            break
    assert seen == [ids[3], *reversed([i for i in ids if i != ids[3]])]


@pytest.mark.parametrize("query", [{"cursor": "nonsense"}, {"limit": 0}, {"limit": 51}, {"category": "x"}])
def test_bad_list_query_is_refused(resident_client, community, query):
    assert resident_client.get(base(community), query_string=query).status_code == 422


def test_the_list_filters_by_category_and_hides_expired(resident_client, community, staff, resident):
    urgent = create_notice(community, staff, category="urgent")
    create_notice(community, staff, category="activity")
    expiring = create_notice(community, staff, expires_at=utcnow() + timedelta(hours=1))
    db.session.execute(Notice.__table__.update().where(Notice.id == expiring.id)
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert [i["id"] for i in resident_client.get(f"{base(community)}?category=urgent").json["items"]] == [urgent.id]
    assert len(resident_client.get(base(community)).json["items"]) == 2


def test_opening_marks_read_once_and_counts_down(resident_client, community, staff, resident):
    first, _ = create_notice(community, staff), create_notice(community, staff)
    assert resident_client.get(f"{base(community)}/unread-count").json == {"unread": 2}
    opened = resident_client.get(f"{base(community)}/{first.id}").json
    assert opened["read_at"] and opened["body_html"] == "<p>明天停水。</p>" and opened["author"] == "测试用户"
    assert resident_client.get(f"{base(community)}/{first.id}").json["read_at"] == opened["read_at"]
    assert resident_client.get(f"{base(community)}/unread-count").json == {"unread": 1}


def test_acknowledging_records_receipt_and_reading(resident_client, community, staff, resident):
    notice = create_notice(community, staff, ack_required=True)
    acked = resident_client.post(f"{base(community)}/{notice.id}/acknowledge")
    assert acked.status_code == 200 and acked.json["acknowledged_at"] and acked.json["read_at"]
    again = resident_client.post(f"{base(community)}/{notice.id}/acknowledge").json
    assert again["acknowledged_at"] == acked.json["acknowledged_at"]


def test_acknowledging_a_notice_that_does_not_ask_is_a_conflict(resident_client, community, staff, resident):
    notice = create_notice(community, staff)
    response = resident_client.post(f"{base(community)}/{notice.id}/acknowledge")
    assert response.status_code == 409 and response.json["code"] == "ack_not_required"


def test_a_resident_sees_only_notices_addressed_to_them(make_client, community, staff):
    grid_a, grid_b = factories.create_grid(community), factories.create_grid(community)
    home_a = factories.create_dwelling(community, factories.create_building(community, grid=grid_a))
    home_b = factories.create_dwelling(community, factories.create_building(community, grid=grid_b))
    alice = factories.create_resident(community, dwelling=home_a)
    bob = factories.create_resident(community, dwelling=home_b)
    notice = create_notice(community, staff, audience={"grid_ids": [grid_a.id]})
    bob_client = factories.logged_in(make_client(), bob)
    assert bob_client.get(base(community)).json["items"] == []
    assert bob_client.get(f"{base(community)}/{notice.id}").status_code == 404
    assert bob_client.post(f"{base(community)}/{notice.id}/acknowledge").status_code == 404
    alice_client = factories.logged_in(make_client(), alice)
    assert [i["id"] for i in alice_client.get(base(community)).json["items"]] == [notice.id]


def test_drafts_are_not_visible_to_residents(resident_client, community, staff, resident):
    draft = create_notice(community, staff, publish=False)
    assert resident_client.get(f"{base(community)}/{draft.id}").status_code == 404


# Search


def test_residents_find_their_notices_by_words_or_pinyin(resident_client, community, staff, resident):
    water = create_notice(community, staff, title="停水通知", body="<p>管道检修</p>")
    create_notice(community, staff, title="重阳节活动", body="<p>敬老茶话会</p>")
    for q in ("停水", "tingshui", "管道"):
        assert [h["id"] for h in resident_client.get(f"{base(community)}/search?q={q}").json] == [water.id], q


def test_search_finds_only_current_notices_addressed_to_me(make_client, community, staff, resident):
    grid = factories.create_grid(community)
    create_notice(community, staff, title="网格停水通知", audience={"grid_ids": [grid.id]})
    withdrawn = create_notice(community, staff, title="停水通知（已撤回）")
    services.withdraw_notice(withdrawn)
    create_notice(community, staff, publish=False, title="停水草稿")
    client = factories.logged_in(make_client(), resident)
    assert client.get(f"{base(community)}/search?q=停水").json == []


@pytest.mark.parametrize("query", ["", "q=", "q=" + "长" * 101, "q=停水&limit=0"])
def test_bad_search_is_refused(resident_client, community, query):
    assert resident_client.get(f"{base(community)}/search?{query}").status_code == 422


def test_search_needs_login_and_membership(client, make_client, community, other_community):
    assert client.get(f"{base(community)}/search?q=停水").status_code == 401
    outsider = factories.logged_in(make_client(), factories.create_resident(other_community))
    assert outsider.get(f"{base(community)}/search?q=停水").status_code == 403


def verify(staff_client, community, user) -> None:
    residency = db.session.scalar(select(Residency).filter_by(user_id=user.id))
    assert staff_client.post(f"/api/v1/communities/{community.id}/residencies/{residency.id}/verify").status_code == 200


def test_a_resident_verified_later_gets_the_current_notices_for_them(staff_client, make_client, community, staff):
    grid = factories.create_grid(community)
    everyone = create_notice(community, staff, title="全体通知")
    create_notice(community, staff, title="别的网格", audience={"grid_ids": [grid.id]})
    newcomer = factories.create_resident(community, status="pending")
    verify(staff_client, community, newcomer)
    client = factories.logged_in(make_client(), newcomer)
    assert client.get(f"{base(community)}/unread-count").json == {"unread": 1}
    assert [i["id"] for i in client.get(base(community)).json["items"]] == [everyone.id]
    assert client.get(f"{base(community)}/{everyone.id}").status_code == 200


def test_a_newcomer_gets_role_notices_only_when_the_role_fits(staff_client, make_client, community, staff):
    for_owners = create_notice(community, staff, title="业主大会", audience={"roles": ["owner"]})
    tenant = factories.create_resident(community, relation="tenant", status="pending")
    owner = factories.create_resident(community, relation="owner", status="pending")
    verify(staff_client, community, tenant)
    verify(staff_client, community, owner)
    tenant_list = factories.logged_in(make_client(), tenant).get(base(community)).json["items"]
    owner_list = factories.logged_in(make_client(), owner).get(base(community)).json["items"]
    assert tenant_list == []
    assert [i["id"] for i in owner_list] == [for_owners.id]


def test_catch_up_matches_audiences_as_publishing_does(community):
    from backend.notices import audience as audiences
    grid, other_grid = factories.create_grid(community), factories.create_grid(community)
    in_grid = factories.create_dwelling(community, factories.create_building(community, grid=grid))
    elsewhere = factories.create_dwelling(community, factories.create_building(community, grid=other_grid))
    user = factories.create_resident(community, dwelling=in_grid, relation="tenant")
    db.session.add(Residency(user=user, community_id=community.id, dwelling=elsewhere, relation="owner",
                             status="verified", verified_at=utcnow()))
    db.session.commit()
    cases = [{"everyone": True}, {"grid_ids": [grid.id]}, {"grid_ids": [other_grid.id]},
             {"building_ids": [elsewhere.building_id]}, {"roles": ["owner"]},
             {"grid_ids": [grid.id], "roles": ["owner"]}, {"grid_ids": [other_grid.id], "roles": ["owner"]},
             {"building_ids": [in_grid.building_id, elsewhere.building_id], "roles": ["owner"]}, {"grid_ids": [-1]}]
    match = audiences.matcher(community.id, user.id, cases)
    for case in cases:
        published = [found[1:] for found in audiences.resolve(community.id, case, user.id)]
        assert match(case) == (published[0] if published else None), case
    assert match({"grid_ids": [grid.id], "roles": ["owner"]}) is None
    assert match({"roles": ["owner"]}) == (elsewhere.id, other_grid.id)


def test_polling_costs_the_same_however_many_notices_leave_me_out(make_client, community, staff):
    grid = factories.create_grid(community)
    create_notice(community, staff, title="别的网格", audience={"grid_ids": [grid.id]})
    early = factories.logged_in(make_client(), factories.create_resident(community))
    for n in range(10):
        create_notice(community, staff, title=f"别的网格 {n}", audience={"grid_ids": [grid.id]})
    late = factories.logged_in(make_client(), factories.create_resident(community))
    with count_queries() as one_missed:
        assert early.get(f"{base(community)}/unread-count").json == {"unread": 0}
    with count_queries() as eleven_missed:
        assert late.get(f"{base(community)}/unread-count").json == {"unread": 0}
    assert one_missed and len(eleven_missed) == len(one_missed)
