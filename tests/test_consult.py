"""Questions (咨询): asking and routing, the promise in working days, who sees what, answering, follow-ups,
transfers, closing, pushes, escalation, FAQs made into the guide, settings, validation and bounded lists."""
from datetime import date

import pytest
from sqlalchemy import func, select

from backend.accounts.models import User
from backend.consult import services
from backend.consult.calendar import add_working_days
from backend.consult.models import Question, QuestionEntry, QuestionTransfer
from backend.consult.schemas import QuestionPageSchema
from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from backend.push.models import PushDelivery
from tests import factories
from tests.consult_factories import add_device, ask, base, linked_contact, pushed_to, resident_in, set_calendar
from tests.contacts_factories import at, create_contact, upload_photo
from tests.querycount import count_queries

QUESTION_KEYS = {"id", "topic", "text", "photos", "addressed_to", "assignee", "status", "asked_at", "due_at",
                 "overdue", "escalated", "answers", "helpful", "closed_at", "faq_consent", "faq_item_id"}
BRIEF_KEYS = {"id", "name", "position", "title", "photo_thumb_url"}
TZ = "Asia/Shanghai"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def login(make_client, user):
    return factories.logged_in(make_client(), user)


@pytest.fixture
def grid(community):
    return factories.create_grid(community, "第二网格")


@pytest.fixture
def worker(community, grid):
    """The grid worker (staff) with a directory profile serving the grid."""
    return linked_contact(community, "王芳", grids=[grid], title="第二网格网格员")


@pytest.fixture
def asker(community, grid):
    return resident_in(community, grid, name="张三")


# Working days


@pytest.mark.parametrize("asked, holidays, workdays, due", [
    ("2026-12-04 15:00", [], [], "2026-12-08 15:00"),                       # Friday → Tuesday
    ("2026-12-04 15:00", ["2026-12-07"], [], "2026-12-09 15:00"),           # Monday a holiday → Wednesday
    ("2026-12-04 15:00", [], ["2026-12-05"], "2026-12-07 15:00"),           # 调休 Saturday works → Monday
    ("2026-12-05 10:00", [], [], "2026-12-08 10:00"),                       # asked on Saturday → Tuesday
    ("2026-12-31 23:30", ["2027-01-01"], [], "2027-01-05 23:30"),           # over New Year and a weekend
])
def test_the_promise_counts_working_days_at_the_same_local_time(asked, holidays, workdays, due):
    got = add_working_days(at(asked), 2, TZ, {date.fromisoformat(d) for d in holidays},
                           {date.fromisoformat(d) for d in workdays})
    assert got == at(due)


def test_a_friday_question_is_due_after_the_community_calendar(community, asker, worker):
    set_calendar(community, promise_days=2, holidays=[date(2026, 12, 7)], workdays=[date(2026, 12, 5)])
    question = ask(community, asker, now=at("2026-12-04 16:00"))  # Fri; Sat works (调休), Mon a holiday
    assert question.due_at == at("2026-12-08 16:00")


# Asking and routing


def test_a_resident_asks_and_gets_the_contract_shape(make_client, community, asker, worker):
    contact, _ = worker
    r = login(make_client, asker).post(base(community), json={"topic": "elderly", "text": "  能申请助餐吗？我妈八十了 ",
                                                              "faq_consent": True})
    assert r.status_code == 201, r.json
    assert set(r.json) == QUESTION_KEYS  # no asker card for the asker
    assert r.json["text"] == "能申请助餐吗？我妈八十了" and r.json["status"] == "open"
    assert r.json["addressed_to"] is None and set(r.json["assignee"]) == BRIEF_KEYS
    assert (r.json["assignee"]["id"], r.json["assignee"]["title"]) == (contact.id, "第二网格网格员")
    assert (r.json["overdue"], r.json["escalated"], r.json["helpful"], r.json["answers"]) == (False, False, None, [])


def test_routing_prefers_the_chosen_contact_then_the_table_then_my_grid_worker_then_the_head(community, asker, worker):
    contact, _ = worker
    lawyer = create_contact(community, name="吴律师", position="lawyer")
    secretary = create_contact(community, name="王书记", position="secretary")
    director = create_contact(community, name="李主任", position="director")
    set_calendar(community, routes=[{"topic": "law", "contact_id": lawyer.id}])
    assert ask(community, asker, topic="law").assignee_contact_id == lawyer.id
    assert ask(community, asker, topic="health").assignee_contact_id == contact.id
    chosen = ask(community, asker, topic="law", contact_id=director.id)
    assert (chosen.assignee_contact_id, chosen.addressed_contact_id) == (director.id, director.id)
    homeless = factories.create_user(community)
    assert ask(community, homeless, topic="health").assignee_contact_id == secretary.id


def test_with_nobody_to_route_to_the_question_waits_unassigned(community, asker):
    assert ask(community, asker).assignee_contact_id is None


def test_a_hidden_contact_cannot_be_asked(make_client, community, asker):
    hidden = create_contact(community, name="隐藏", visible=False)
    r = login(make_client, asker).post(base(community), json={"topic": "other", "text": "请问这个怎么办理？",
                                                              "contact_id": hidden.id})
    assert r.status_code == 422 and "contact_id" in r.json["errors"] and count(Question) == 0


# Who sees what


@pytest.fixture
def walk(make_client, community, other_community, asker, grid):
    """One question assigned to a party member who is a resident, and everyone who may or may not see it."""
    party, party_user = linked_contact(community, "党员老周", position="other", role="resident",
                                       party={"areas": ["law"], "hours": "周六上午"})
    other_party, other_party_user = linked_contact(community, "党员老吴", position="other", role="resident")
    question = ask(community, asker, topic="law", contact_id=party.id)
    people = {"asker": asker, "neighbour": resident_in(community, grid),
              "staff": factories.create_user(community, role="staff"), "party": party_user,
              "other_party": other_party_user, "other_staff": factories.create_user(other_community, role="staff")}
    clients = {name: login(make_client, user) for name, user in people.items()}
    clients["anonymous"] = make_client()
    return question, clients


@pytest.mark.parametrize("who, status", [("asker", 200), ("staff", 200), ("party", 200), ("neighbour", 404),
                                         ("other_party", 404), ("other_staff", 403), ("anonymous", 401)])
def test_a_question_is_seen_by_its_asker_staff_and_assignee_only(community, walk, who, status):
    question, clients = walk
    r = clients[who].get(f"{base(community)}/{question.id}")
    assert r.status_code == status, r.json
    if status == 200:
        assert ("asker" in r.json) == (who != "asker")
    if who in ("staff", "party"):
        assert r.json["asker"] == {"name": "张三", "home": question.asker.residencies[0].dwelling.label}


def test_a_party_member_sees_only_what_is_assigned_to_them_now(community, walk):
    question, clients = walk
    assert [q["id"] for q in clients["party"].get(f"{base(community)}/inbox").json["items"]] == [question.id]
    assert clients["other_party"].get(f"{base(community)}/inbox").json["items"] == []
    assert clients["neighbour"].get(f"{base(community)}/inbox").json["total"] == 0
    staff_view = clients["staff"].get(f"{base(community)}/inbox").json
    assert staff_view["total"] == 1 and staff_view["items"][0]["asker"]["name"] == "张三"


def test_after_a_transfer_the_former_assignee_no_longer_sees_it(community, walk):
    question, clients = walk
    new = create_contact(community, name="新接手", position="member")
    r = clients["party"].post(f"{base(community)}/{question.id}/transfer",
                              json={"contact_id": new.id, "note": "非我所长"})
    assert r.status_code == 200 and r.json["assignee"]["id"] == new.id
    assert clients["party"].get(f"{base(community)}/{question.id}").status_code == 404
    assert db.session.scalar(select(QuestionTransfer.note)) == "非我所长"


@pytest.mark.parametrize("who, path, body, status", [
    ("asker", "answers", {"text": "自己回答"}, 403),
    ("neighbour", "answers", {"text": "我来回答"}, 404),
    ("party", "answers", {"text": "可以申请法律援助。"}, 201),
    ("staff", "answers", {"text": "可以申请法律援助。"}, 201),
    ("asker", "transfer", {"contact_id": 1}, 403),
    ("other_party", "transfer", {"contact_id": 1}, 404),
    ("party", "faq", {"title": "押金问题", "answer": "可以申请法律援助。"}, 403),
    ("asker", "faq", {"title": "押金问题", "answer": "可以申请法律援助。"}, 403),
    ("party", "feedback", {"helpful": True}, 403),
    ("party", "close", {}, 403),
    ("staff", "follow-up", {"text": "我替他追问"}, 403),
])
def test_who_may_act_on_a_question(community, walk, who, path, body, status):
    question, clients = walk
    before = count(QuestionEntry), count(QuestionTransfer)
    r = clients[who].post(f"{base(community)}/{question.id}/{path}", json=body)
    assert r.status_code == status, r.json
    if status != 201:
        assert (count(QuestionEntry), count(QuestionTransfer)) == before


def test_photos_are_read_by_those_who_read_the_question(make_client, community, walk):
    question, clients = walk
    photo = upload_photo(clients["asker"], community, "question_photo").json["id"]
    body = {"topic": "law", "text": "这是现场照片，请看看。", "photos": [photo],
            "contact_id": question.assignee_contact_id}
    r = clients["asker"].post(base(community), json=body)
    assert r.status_code == 201 and r.json["photos"][0]["id"] == photo
    for who, status in (("asker", 200), ("staff", 200), ("party", 200), ("neighbour", 403), ("other_party", 403),
                        ("other_staff", 403)):
        assert clients[who].get(r.json["photos"][0]["thumb_url"]).status_code == status, who
    again = clients["asker"].post(base(community), json={**body, "text": "同一张照片再用一次"})
    assert again.status_code == 422 and "photos" in again.json["errors"]


# Answering, following up, closing


def test_answer_feedback_follow_up_and_close(make_client, community, asker, worker):
    contact, worker_user = worker
    question = ask(community, asker)
    me, grid_worker = login(make_client, asker), login(make_client, worker_user)
    url = f"{base(community)}/{question.id}"
    assert me.post(f"{url}/feedback", json={"helpful": True}).json["code"] == "not_answered"
    r = grid_worker.post(f"{url}/answers", json={"text": "可以，带身份证到居委会登记。"})
    assert r.status_code == 201 and r.json["status"] == "answered"
    assert r.json["answers"][0]["by"] == {"name": "王芳", "title": "第二网格网格员"}
    r = me.post(f"{url}/follow-up", json={"text": "需要本人去吗？"})
    assert r.json["status"] == "open" and r.json["answers"][1]["by"] == {"name": "张三", "asker": True}
    grid_worker.post(f"{url}/answers", json={"text": "家属代办也可以。"})
    r = me.post(f"{url}/feedback", json={"helpful": True, "close": True})
    assert (r.json["status"], r.json["helpful"]) == ("closed", True) and r.json["closed_at"]
    assert grid_worker.post(f"{url}/answers", json={"text": "补充一句"}).json["code"] == "question_closed"
    assert me.post(f"{url}/follow-up", json={"text": "再问一句"}).status_code == 409
    assert me.post(f"{url}/close").status_code == 200  # closing twice is closing once
    assert [q["id"] for q in me.get(f"{base(community)}/mine").json["items"]] == [question.id]


def test_a_staff_member_without_a_profile_signs_with_their_staff_title(staff_client, community, asker):
    question = ask(community, asker)
    r = staff_client.post(f"{base(community)}/{question.id}/answers", json={"text": "已转交相关部门。"})
    assert r.json["answers"][0]["by"] == {"name": "测试用户", "title": "居委会主任"}


# Pushes and escalation


def test_pushes_go_to_the_assignee_the_asker_and_the_new_assignee(make_client, community, asker, worker):
    contact, worker_user = worker
    director, director_user = linked_contact(community, "李主任", position="director")
    for user in (asker, worker_user, director_user):
        add_device(user)
    question = ask(community, asker)
    assert pushed_to(worker_user) == ["【新咨询】养老助老"] and pushed_to(asker) == []
    login(make_client, worker_user).post(f"{base(community)}/{question.id}/answers", json={"text": "可以申请。"})
    assert pushed_to(asker) == ["您的咨询有了回复"]
    login(make_client, worker_user).post(f"{base(community)}/{question.id}/transfer", json={"contact_id": director.id})
    assert pushed_to(director_user) == ["【新咨询】养老助老"]


def test_a_question_asked_at_night_rings_after_the_quiet_hours(community, asker, worker):
    _, worker_user = worker
    add_device(worker_user)
    ask(community, asker, now=at("2026-12-01 23:10"))
    assert db.session.scalar(select(PushDelivery.next_attempt_at)) == at("2026-12-02 07:00")


def test_an_overdue_question_is_escalated_to_the_head_once(make_client, community, asker, worker):
    secretary, secretary_user = linked_contact(community, "王书记", position="secretary")
    add_device(secretary_user)
    question = ask(community, asker, now=at("2026-11-20 15:00"))  # a Friday: due Tuesday 15:00
    assert services.escalate_due(now=at("2026-11-24 14:59")) == 0
    assert services.escalate_due(now=at("2026-11-24 15:01")) == 1
    assert services.escalate_due(now=at("2026-11-25 09:00")) == 0
    assert pushed_to(secretary_user) == ["【超时未答】养老助老"]
    r = login(make_client, secretary_user).get(f"{base(community)}/{question.id}")
    assert (r.json["overdue"], r.json["escalated"]) == (True, True)


def test_the_inbox_puts_overdue_first_then_the_oldest_promise(community, asker, worker):
    _, worker_user = worker
    now = at("2026-12-10 10:00")
    late = ask(community, asker, now=at("2026-12-01 10:00"))
    answered = ask(community, asker, now=at("2026-11-20 10:00"))
    services.answer(answered, worker_user, "已答复", now=now)
    fresh = ask(community, asker, now=at("2026-12-09 10:00"))
    items = services.inbox(community.id, worker_user, now=now)["items"]
    assert [q.id for q in items] == [late.id, answered.id, fresh.id]
    assert [q.id for q in services.inbox(community.id, worker_user, status="open", now=now)["items"]] == [
        late.id, fresh.id]


def test_the_inbox_costs_the_same_for_2_and_12_questions(community, grid, worker):
    _, worker_user = worker
    askers = [resident_in(community, grid) for _ in range(3)]

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as statements:
            page = services.inbox(community.id, db.session.get(type(worker_user), worker_user.id))
            QuestionPageSchema().dump(page)
        return len(statements)

    for n in range(12):
        question = ask(community, askers[n % 3], photos=[])
        services.answer(question, worker_user, "已答复")
        if n == 1:
            two = queries()
    assert two == queries()


# FAQ


def _answered_question(make_client, community, asker, worker_user, consent=True):
    question = ask(community, asker, faq_consent=consent)
    login(make_client, worker_user).post(f"{base(community)}/{question.id}/answers",
                                         json={"text": "带身份证到居委会登记即可。"})
    return question


def test_an_faq_is_a_published_guide_item_that_search_finds(make_client, staff_client, community, asker, worker):
    question = _answered_question(make_client, community, asker, worker[1])
    r = staff_client.post(f"{base(community)}/{question.id}/faq",
                          json={"title": "老年助餐卡怎么办理", "answer": "带身份证到居委会登记即可，家属可代办。"})
    assert r.status_code == 201, r.json
    item = db.session.get(GuideItem, r.json["faq_item_id"])
    assert (item.published, item.category.name, item.title) == (True, "常见问题", "老年助餐卡怎么办理")
    assert "张三" not in item.summary and item.summary == "带身份证到居委会登记即可，家属可代办。"
    hits = factories.logged_in(make_client(), asker).get(f"/api/v1/communities/{community.id}/search",
                                                         query_string={"q": "助餐卡"}).json
    assert [(h["kind"], h["id"]) for h in hits][:1] == [("guide", item.id)]
    assert staff_client.get(f"{base(community)}/{question.id}").json["faq_item_id"] == item.id
    again = staff_client.post(f"{base(community)}/{question.id}/faq", json={"title": "再来一次", "answer": "同上同上"})
    assert again.json["code"] == "faq_exists" and count(GuideItem) == 1
    second = _answered_question(make_client, community, asker, worker[1])
    staff_client.post(f"{base(community)}/{second.id}/faq", json={"title": "居住证明", "answer": "带身份证即可。"})
    assert count(GuideCategory) == 1 and count(GuideItem) == 2


def test_no_faq_without_consent_or_an_answer(make_client, staff_client, community, asker, worker):
    body = {"title": "押金问题", "answer": "可以申请法律援助。"}
    refused = _answered_question(make_client, community, asker, worker[1], consent=False)
    assert staff_client.post(f"{base(community)}/{refused.id}/faq", json=body).json["code"] == "no_faq_consent"
    unanswered = ask(community, asker, faq_consent=True)
    assert staff_client.post(f"{base(community)}/{unanswered.id}/faq", json=body).json["code"] == "not_answered"
    assert count(GuideItem) == 0 and count(GuideCategory) == 0


# Settings and validation


def test_settings_round_trip_and_default(staff_client, community, worker):
    contact, _ = worker
    url = f"{base(community)}/manage/settings"
    assert staff_client.get(url).json == {"promise_days": 2, "routes": [], "holidays": [], "workdays": []}
    body = {"promise_days": 3, "routes": [{"topic": "law", "contact_id": contact.id}], "holidays": ["2027-01-01"],
            "workdays": ["2027-02-07"]}
    assert staff_client.put(url, json=body).json == body
    assert staff_client.get(url).json == body


@pytest.mark.parametrize("body, field", [
    ({"promise_days": 0}, "promise_days"),
    ({"promise_days": "2"}, "promise_days"),
    ({"promise_days": 2, "routes": [{"topic": "nope", "contact_id": 1}]}, "routes"),
    ({"promise_days": 2, "routes": [{"topic": "law", "contact_id": 999}]}, "routes"),
    ({"promise_days": 2, "workdays": ["2027-02-08"]}, "workdays"),
    ({"promise_days": 2, "holidays": ["2027-02-07"], "workdays": ["2027-02-07"]}, "workdays"),
    ({"promise_days": 2, "holidays": ["2027-02-30"]}, "holidays"),
])
def test_bad_settings_are_a_422_naming_the_field(staff_client, community, body, field):
    url = f"{base(community)}/manage/settings"
    r = staff_client.put(url, json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert staff_client.get(url).json["promise_days"] == 2


@pytest.mark.parametrize("body, field", [
    ({"topic": "weather", "text": "明天会下雨吗？"}, "topic"),
    ({"topic": "other", "text": "太短"}, "text"),
    ({"topic": "other", "text": "字" * 1001}, "text"),
    ({"topic": "other", "text": "   \n  "}, "text"),
    ({"topic": "other", "text": "请问怎么办？", "photos": ["0" * 32] * 4}, "photos"),
    ({"topic": "other", "text": "请问怎么办？", "photos": ["0" * 32]}, "photos"),
    ({"topic": "other", "text": "请问怎么办？", "contact_id": 0}, "contact_id"),
    ({"topic": "other", "text": "请问怎么办？", "faq_consent": "yes"}, "faq_consent"),
])
def test_a_bad_question_is_a_422_naming_the_field(resident_client, community, body, field):
    r = resident_client.post(base(community), json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(Question) == 0


@pytest.mark.parametrize("path, body, field", [
    ("answers", {"text": "好"}, "text"), ("answers", {}, "text"), ("transfer", {"contact_id": 999}, "contact_id"),
    ("transfer", {"contact_id": "x"}, "contact_id"), ("faq", {"title": "押金", "answer": ""}, "answer"),
])
def test_a_bad_answer_transfer_or_faq_is_a_422(staff_client, community, asker, path, body, field):
    question = ask(community, asker)
    r = staff_client.post(f"{base(community)}/{question.id}/{path}", json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(QuestionEntry) == 0 and count(QuestionTransfer) == 0


def test_questions_of_another_community_are_not_found(make_client, community, other_community, asker):
    question = ask(community, asker)
    outsider = login(make_client, factories.create_user(other_community, role="staff"))
    assert outsider.get(f"{base(other_community)}/{question.id}").status_code == 404
    assert outsider.post(f"{base(other_community)}/{question.id}/answers", json={"text": "越权回答"}).status_code == 404
    assert outsider.get(f"{base(other_community)}/inbox").json["total"] == 0


def test_the_demo_has_questions_in_every_state(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    statuses = sorted(db.session.scalars(select(Question.status)))
    assert statuses == ["answered", "closed", "open", "open"]
    assert db.session.scalar(select(Question).filter_by(status="closed")).helpful is True
    assert [q.overdue for q in services.present(list(db.session.scalars(select(Question).filter_by(
        status="open").order_by(Question.asked_at))), db.session.get(User, 1))] == [True, False]
