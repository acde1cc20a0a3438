"""The staff workbench: to-do counts of one community, in a fixed number of statements."""
from datetime import timedelta

from backend.common.models import utcnow
from backend.extensions import db
from tests import factories
from tests.bookings_factories import book, create_resource
from tests.consult_factories import ask, resident_in
from tests.notice_factories import create_notice
from tests.querycount import count_queries
from tests.volunteering_factories import create_activity, create_attendance, create_volunteer


def url(community) -> str:
    return f"/api/v1/communities/{community.id}/workbench"


def fill(community, staff, n: int = 1):
    """n of every kind of waiting work, plus rows that wait for nothing (approved, confirmed, answered)."""
    for _ in range(n):
        factories.create_resident(community, status="pending")
        factories.create_resident(community)
        create_volunteer(community, status="pending")
        volunteer = create_volunteer(community)
        create_attendance(create_activity(community), volunteer)
        create_attendance(create_activity(community), volunteer, status="approved")
        book(create_resource(community, needs_approval=True), factories.create_resident(community))
        book(create_resource(community), factories.create_resident(community))
        ask(community, resident_in(community), now=utcnow())


def test_counts_what_waits_in_this_community_only(staff_client, community, staff, other_community):
    fill(community, staff, 2)
    fill(other_community, factories.create_user(other_community, role="staff"))
    r = staff_client.get(url(community))
    assert r.status_code == 200
    body = r.json
    assert {k: body[k] for k in ("residents_pending", "volunteers_pending", "hours_pending", "bookings_pending",
                                 "questions_open", "questions_overdue")} == {
        "residents_pending": 2, "volunteers_pending": 2, "hours_pending": 2, "bookings_pending": 2,
        "questions_open": 2, "questions_overdue": 0}
    assert body["notices"] == []


def test_overdue_questions_are_counted_apart(staff_client, community):
    ask(community, resident_in(community), now=utcnow() - timedelta(days=30))
    ask(community, resident_in(community), now=utcnow())
    body = staff_client.get(url(community)).json
    assert (body["questions_open"], body["questions_overdue"]) == (2, 1)


def test_recent_notices_show_how_many_have_read_them(staff_client, community, staff):
    readers = [factories.create_resident(community) for _ in range(3)]
    old = create_notice(community, staff, title="旧通知")
    old.published_at = utcnow() - timedelta(days=40)
    create_notice(community, staff, publish=False, title="草稿")
    notices = [create_notice(community, staff, title=f"通知{i}") for i in range(4)]
    db.session.commit()
    reader = factories.logged_in(staff_client.application.test_client(), readers[0])
    assert reader.get(f"/api/v1/communities/{community.id}/notices/{notices[-1].id}").status_code == 200
    body = staff_client.get(url(community)).json
    assert [n["title"] for n in body["notices"]] == ["通知3", "通知2", "通知1"]
    assert (body["notices"][0]["addressed"], body["notices"][0]["read"]) == (3, 1)
    assert (body["notices"][1]["addressed"], body["notices"][1]["read"]) == (3, 0)


def test_the_workbench_costs_the_same_statements_at_any_size(staff_client, community, staff):
    fill(community, staff)
    create_notice(community, staff)
    with count_queries() as small:
        assert staff_client.get(url(community)).status_code == 200
    fill(community, staff, 3)
    for _ in range(3):
        create_notice(community, staff)
    with count_queries() as large:
        assert staff_client.get(url(community)).status_code == 200
    assert len(large) == len(small)
    # Besides loading the session's user: the counts in one row, the notices' read rates in one grouped query.
    assert len([s for s in large if "residents_pending" in s]) == 1
    assert len([s for s in large if "notice_recipient" in s]) == 1
    others = [s for s in large if "residents_pending" not in s]
    assert not [s for s in others if "FROM volunteer" in s or "FROM booking" in s or "FROM question" in s]


def test_residents_and_other_staff_may_not_see_it(resident_client, make_client, community, other_community):
    assert resident_client.get(url(community)).status_code == 403
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    assert outsider.get(url(community)).status_code == 403
