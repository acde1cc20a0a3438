"""Voting: opinion polls and owners' decisions, one ballot per voter on every channel, secrecy, visibility."""
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.voting import services
from backend.voting.models import Ballot, OpenVote, Participation, Poll, ProxyConsent
from tests import factories
from tests.voting_factories import create_poll, owner_of, poll_body, upload_consent_photo


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/polls"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def vote(client, community, poll, *option_positions):
    ids = [poll.options[p].id for p in option_positions]
    return client.post(f"{base(community)}/{poll.id}/ballots", json={"choices": ids})


# Staff write and open polls


def test_staff_draft_then_publish_an_opinion_poll(staff_client, community, resident):
    r = staff_client.post(f"{base(community)}/manage", json=poll_body())
    assert r.status_code == 201 and r.json["status"] == "draft"
    assert [o["label"] for o in r.json["options"]] == ["赞成", "反对"]
    poll_id = r.json["id"]
    r = staff_client.post(f"{base(community)}/manage/{poll_id}/publish")
    assert r.status_code == 200 and r.json["status"] == "open" and r.json["roll_heads"] == 1
    assert staff_client.patch(f"{base(community)}/manage/{poll_id}", json={"title": "改"}).status_code == 409


@pytest.mark.parametrize("change, field", [
    ({"options": [{"label": "只有一个"}]}, "options"), ({"closes_at": "2020-01-01T00:00:00+00:00"}, "closes_at"),
    ({"choice": "multiple", "min_choices": 2, "max_choices": 3}, "max_choices"), ({"kind": "vote"}, "kind"),
    ({"scope": {}}, "scope"), ({"scope": {"grid_ids": [99999]}}, "scope.grid_ids"),
])
def test_bad_polls_are_refused_and_nothing_is_written(staff_client, community, change, field):
    r = staff_client.post(f"{base(community)}/manage", json=poll_body(**change))
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(Poll) == 0


def test_an_owners_decision_gets_yes_no_abstain_and_one_ballot_per_unit(staff_client, community):
    r = staff_client.post(f"{base(community)}/manage", json=poll_body(kind="owners", matter="major", options=[]))
    assert r.status_code == 201
    assert [(o["label"], o["meaning"]) for o in r.json["options"]] == [
        ("同意", "yes"), ("反对", "no"), ("弃权", "abstain")]
    assert (r.json["counting"], r.json["choice"], r.json["matter"]) == ("unit", "single", "major")


# Residents vote, once


def test_a_resident_votes_once_and_gets_a_receipt(resident_client, community, staff):
    poll = create_poll(community, staff)
    r = vote(resident_client, community, poll, 0)
    assert r.status_code == 201 and len(r.json["receipt"]) == 16 and r.json["channel"] == "online"
    again = vote(resident_client, community, poll, 1)
    assert again.status_code == 409 and again.json["code"] == "already_voted"
    assert again.json["errors"]["channel"] == ["online"] and again.json["errors"]["by"] == ["测试用户"]
    me = resident_client.get(f"{base(community)}/{poll.id}").json
    assert me["my_vote"]["voted"] and me["my_vote"]["by_me"] and me["can_vote"] is not None
    assert count(Ballot) == 1 and count(Participation) == 1


def test_an_open_poll_may_let_a_vote_change(resident_client, community, staff):
    poll = create_poll(community, staff, allow_change=True)
    vote(resident_client, community, poll, 0)
    r = vote(resident_client, community, poll, 1)
    assert r.status_code == 201 and r.json["changed"]
    assert db.session.scalar(select(Ballot.choices)) == [poll.options[1].id] and count(Ballot) == 1


@pytest.mark.parametrize("positions", [(), (0, 0), (0, 1)])
def test_choices_must_fit_the_poll(resident_client, community, staff, positions):
    poll = create_poll(community, staff)
    r = vote(resident_client, community, poll, *positions)
    assert r.status_code == 422 and "choices" in r.json["errors"]
    assert count(Participation) == 0


def test_an_option_of_another_poll_is_refused(resident_client, community, staff):
    poll, other = create_poll(community, staff), create_poll(community, staff)
    r = resident_client.post(f"{base(community)}/{poll.id}/ballots", json={"choices": [other.options[0].id]})
    assert r.status_code == 422 and count(Participation) == 0


def test_multiple_choice_within_its_bounds(resident_client, community, staff):
    poll = create_poll(community, staff, choice="multiple", min_choices=1, max_choices=2,
                       options=[{"label": "绿化"}, {"label": "停车"}, {"label": "照明"}])
    assert vote(resident_client, community, poll, 0, 1, 2).status_code == 422
    assert vote(resident_client, community, poll, 0, 2).status_code == 201


def test_one_vote_per_home_when_the_poll_counts_homes(make_client, community, staff):
    dwelling = factories.create_dwelling(community)
    first = factories.create_resident(community, dwelling=dwelling)
    second = factories.create_resident(community, dwelling=dwelling, relation="family")
    poll = create_poll(community, staff, counting="dwelling")
    assert vote(factories.logged_in(make_client(), first), community, poll, 0).status_code == 201
    other = factories.logged_in(make_client(), second)
    r = vote(other, community, poll, 1)
    assert r.status_code == 409 and r.json["code"] == "already_voted"
    mine = other.get(f"{base(community)}/{poll.id}").json["my_vote"]
    assert mine["voted"] and not mine["by_me"] and mine["voted_at"]


def test_only_those_in_scope_may_vote(make_client, community, staff):
    inside, outside = factories.create_building(community), factories.create_building(community)
    voter = factories.create_resident(community, dwelling=factories.create_dwelling(community, inside))
    stranger = factories.create_resident(community, dwelling=factories.create_dwelling(community, outside))
    poll = create_poll(community, staff, scope={"everyone": False, "grid_ids": [], "building_ids": [inside.id]})
    assert vote(factories.logged_in(make_client(), voter), community, poll, 0).status_code == 201
    r = vote(factories.logged_in(make_client(), stranger), community, poll, 0)
    assert r.status_code == 403 and r.json["code"] == "not_eligible"


def test_pending_residents_and_tenants_of_owners_only_polls_may_not_vote(make_client, community, staff):
    pending = factories.create_resident(community, status="pending")
    tenant = factories.create_resident(community, relation="tenant")
    poll = create_poll(community, staff, owners_only=True)
    for user in (pending, tenant):
        assert vote(factories.logged_in(make_client(), user), community, poll, 0).status_code == 403


def test_no_vote_before_opening_or_after_closing(resident_client, community, staff):
    draft = create_poll(community, staff, publish=False)
    assert vote(resident_client, community, draft, 0).status_code == 404
    poll = create_poll(community, staff)
    services.close_poll(poll)
    r = vote(resident_client, community, poll, 0)
    assert r.status_code == 409 and r.json["code"] == "poll_not_open"


# Secret ballots


def test_secret_ballots_share_no_column_with_who_voted():
    ballot = {c.name for c in inspect(Ballot).columns}
    assert ballot == {"id", "community_id", "poll_id", "choices", "area", "channel", "building_id",
                      "receipt_hash", "void"}
    assert not {fk.column.table.name for fk in Ballot.__table__.foreign_keys} & {"user", "participation",
                                                                                  "roll_unit", "dwelling"}
    assert not any(c.name.endswith("_at") for c in Ballot.__table__.columns)


def test_a_secret_poll_writes_no_link_and_shows_no_choice(resident_client, community, staff):
    poll = create_poll(community, staff, secret=True, results="live")
    receipt = vote(resident_client, community, poll, 1).json["receipt"]
    assert count(OpenVote) == 0 and count(Ballot) == 1
    assert resident_client.get(f"{base(community)}/{poll.id}").json["my_vote"]["choices"] is None
    ballot_id = db.session.scalar(select(Ballot.id))
    assert len(ballot_id) == 32 and not ballot_id.isdigit()
    services.close_poll(poll)
    found = resident_client.get(f"{base(community)}/{poll.id}/receipts/{receipt}")
    assert found.status_code == 200 and found.json["choices"] == [poll.options[1].id]
    listed = resident_client.get(f"{base(community)}/{poll.id}/receipts").json
    assert [r["choices"] for r in listed] == [[poll.options[1].id]]


def test_receipts_wait_for_the_close(resident_client, community, staff):
    poll = create_poll(community, staff, secret=True)
    receipt = vote(resident_client, community, poll, 0).json["receipt"]
    assert resident_client.get(f"{base(community)}/{poll.id}/receipts/{receipt}").status_code == 409
    assert resident_client.get(f"{base(community)}/{poll.id}/receipts").status_code == 403


# Results: when they show


@pytest.mark.parametrize("mode, before, after_vote", [
    ("live", True, True), ("after_vote", False, True), ("after_close", False, False)])
def test_results_show_as_the_poll_says(resident_client, staff_client, community, staff, mode, before, after_vote):
    poll = create_poll(community, staff, results=mode)
    url = f"{base(community)}/{poll.id}/results"
    assert (resident_client.get(url).status_code == 200) is before
    vote(resident_client, community, poll, 0)
    assert (resident_client.get(url).status_code == 200) is after_vote
    turnout = staff_client.get(f"{base(community)}/manage/{poll.id}/turnout").json
    assert (turnout["voters"], turnout["eligible"]) == (1, 1)
    services.close_poll(poll)
    assert resident_client.get(url).json["options"][0]["votes"] == 1


def test_a_withdrawn_poll_keeps_its_ballots_void(resident_client, staff_client, community, staff):
    poll = create_poll(community, staff, results="live")
    vote(resident_client, community, poll, 0)
    r = staff_client.post(f"{base(community)}/manage/{poll.id}/withdraw", json={"reason": "选项有误"})
    assert r.status_code == 200 and r.json["status"] == "withdrawn"
    assert db.session.scalar(select(Ballot.void)) is True and count(Ballot) == 1
    assert resident_client.get(f"{base(community)}/{poll.id}/results").status_code == 403
    assert resident_client.get(f"{base(community)}/{poll.id}").json["my_vote"]["void"] is True


# Owners' decisions: the roll, units and the four ratios


def test_the_roll_is_frozen_when_the_poll_opens(staff_client, community, staff):
    a, b, c = (factories.create_dwelling(community, area=area) for area in ("100.00", "50.00", "80.00"))
    owner_of(community, a, b)  # one owner of two flats: one unit of 150 m²
    poll = create_poll(community, staff, kind="owners", matter="ordinary", options=[])
    assert (poll.roll_heads, str(poll.roll_area)) == (2, "230.00")
    factories.create_dwelling(community, area="999.00")  # imported later: does not move the totals
    roll = staff_client.get(f"{base(community)}/manage/{poll.id}/roll").json
    assert roll == {"units": 2, "area": "230.00", "dwellings": 3}
    assert c.id


def test_an_owners_decision_counts_area_and_heads_by_art_278(make_client, staff_client, community, staff):
    big, small1, small2 = (factories.create_dwelling(community, area=a) for a in ("120.00", "40.00", "40.00"))
    owners = [owner_of(community, d) for d in (big, small1, small2)]
    poll = create_poll(community, staff, kind="owners", matter="ordinary", options=[], results="live")
    assert vote(factories.logged_in(make_client(), owners[0]), community, poll, 0).status_code == 201
    assert vote(factories.logged_in(make_client(), owners[1]), community, poll, 1).status_code == 201
    sheet = staff_client.get(f"{base(community)}/manage/{poll.id}/results").json
    decision = sheet["owners"]
    # 2 of 3 units with 160 of 200 m² took part; 120 of 160 m² but only 1 of 2 heads approved.
    assert (decision["turnout_heads"]["fraction"], decision["turnout_area"]["fraction"]) == ("2/3", "4/5")
    assert decision["quorum"] and decision["approval_area"]["met"] and not decision["approval_heads"]["met"]
    assert decision["passed"] is False
    assert [(o["votes"], o["area"]) for o in sheet["options"]] == [(1, "120.00"), (1, "40.00"), (0, "0.00")]


def test_co_owners_share_one_ballot(make_client, community, staff):
    home = factories.create_dwelling(community)
    first, second = owner_of(community, home), owner_of(community, home)
    poll = create_poll(community, staff, kind="owners", options=[])
    assert poll.roll_heads == 1
    assert vote(factories.logged_in(make_client(), first), community, poll, 0).status_code == 201
    r = vote(factories.logged_in(make_client(), second), community, poll, 1)
    assert r.status_code == 409 and r.json["code"] == "already_voted"


# Paper codes and proxies: the same one ballot per unit


def test_a_paper_code_votes_once_and_blocks_the_online_vote(make_client, staff_client, community, staff):
    home = factories.create_dwelling(community)
    owner = owner_of(community, home)
    poll = create_poll(community, staff, kind="owners", options=[])
    slips = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-codes").json
    assert len(slips) == 1 and slips[0]["label"] == home.label
    code = slips[0]["code"]
    body = {"code": code, "choices": [poll.options[0].id]}
    r = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-ballots", json=body)
    assert r.status_code == 201 and r.json["channel"] == "paper"
    again = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-ballots", json=body)
    assert again.status_code == 422 and again.json["code"] == "code_invalid"
    r = vote(factories.logged_in(make_client(), owner), community, poll, 1)
    assert r.status_code == 409 and r.json["errors"]["channel"] == ["paper"]
    assert code not in str(db.session.execute(select(Participation)).all())


def test_a_wrong_paper_code_is_refused(staff_client, client, community, staff):
    owner_of(community, factories.create_dwelling(community))
    poll = create_poll(community, staff, kind="owners", options=[])
    code = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-codes").json[0]["code"]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    r = client.post(f"{base(community)}/{poll.id}/code-ballots", json={"code": forged, "choices": [poll.options[0].id]})
    assert r.status_code == 422 and r.json["code"] == "code_invalid" and count(Participation) == 0
    assert client.post(f"{base(community)}/{poll.id}/code-check", json={"code": forged}).status_code == 422
    shown = client.post(f"{base(community)}/{poll.id}/code-check", json={"code": code})
    assert shown.status_code == 200 and [o["label"] for o in shown.json["options"]] == ["同意", "反对", "弃权"]
    r = client.post(f"{base(community)}/{poll.id}/code-ballots", json={"code": code, "choices": [poll.options[0].id]})
    assert r.status_code == 201
    assert client.post(f"{base(community)}/{poll.id}/code-check", json={"code": code}).json["code"] == "code_invalid"


def proxy_body(poll, resident, photo) -> dict:
    return {"resident_id": resident.id, "choices": [poll.options[0].id], "witness": "网格员张伟",
            "signed_at": utcnow().isoformat(), "form_ref": "委托书-017", "photo": photo}


def test_staff_vote_by_proxy_with_consent_and_the_resident_can_dispute(make_client, staff_client, community,
                                                                       staff):
    owner = owner_of(community, factories.create_dwelling(community))
    poll = create_poll(community, staff, kind="owners", options=[])
    body = proxy_body(poll, owner, upload_consent_photo(staff_client, community))
    r = staff_client.post(f"{base(community)}/manage/{poll.id}/proxy-ballots", json=body)
    assert r.status_code == 201 and r.json["channel"] == "proxy"
    again = staff_client.post(f"{base(community)}/manage/{poll.id}/proxy-ballots", json=body)
    assert again.status_code == 409 and count(ProxyConsent) == 1
    me = factories.logged_in(make_client(), owner)
    my_vote = me.get(f"{base(community)}/{poll.id}").json["my_vote"]
    assert my_vote["channel"] == "proxy" and my_vote["proxy"]["photo_id"] == body["photo"]
    photo = me.get(my_vote["proxy"]["photo_thumb_url"])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    r = me.post(f"{base(community)}/{poll.id}/dispute", json={"reason": "我没有同意"})
    assert r.status_code == 200 and r.json["disputed_at"] and r.json["photo_url"] == my_vote["proxy"]["photo_url"]


def test_a_proxy_ballot_needs_its_own_unused_consent_photo(make_client, staff_client, community, staff):
    first, second = (owner_of(community, factories.create_dwelling(community)) for _ in range(2))
    poll = create_poll(community, staff, kind="owners", options=[])
    url = f"{base(community)}/manage/{poll.id}/proxy-ballots"
    colleague = factories.logged_in(make_client(), factories.create_user(community, role="staff"))
    theirs = upload_consent_photo(colleague, community)
    for photo in (None, "0" * 32, "not-an-id", theirs):
        r = staff_client.post(url, json=proxy_body(poll, first, photo))
        assert r.status_code == 422 and "photo" in r.json["errors"], r.json
    assert count(ProxyConsent) == 0 and count(Participation) == 0
    mine = upload_consent_photo(staff_client, community)
    assert staff_client.post(url, json=proxy_body(poll, first, mine)).status_code == 201
    r = staff_client.post(url, json=proxy_body(poll, second, mine))
    assert r.status_code == 422 and r.json["code"] == "file_invalid" and count(ProxyConsent) == 1


# Schedules, pushes and exports


def test_the_worker_opens_closes_and_reminds(community, staff, resident):
    poll = create_poll(community, staff, publish=False, opens_at=utcnow() + timedelta(minutes=5))
    services.publish_poll(poll)
    assert poll.status == "scheduled"
    assert services.open_due(utcnow() + timedelta(minutes=6)) == 1
    db.session.refresh(poll)
    assert poll.status == "open"
    assert services.remind_due(poll.closes_at - timedelta(hours=1)) == 1
    assert services.remind_due(poll.closes_at - timedelta(minutes=30)) == 0
    assert services.close_due(poll.closes_at + timedelta(seconds=1)) == 1
    db.session.refresh(poll)
    assert poll.status == "closed"


def test_staff_export_csv_and_pdf_once_results_show(resident_client, staff_client, community, staff):
    poll = create_poll(community, staff)
    vote(resident_client, community, poll, 0)
    assert staff_client.get(f"{base(community)}/manage/{poll.id}/results.csv").status_code == 403
    services.close_poll(poll)
    csv = staff_client.get(f"{base(community)}/manage/{poll.id}/results.csv")
    assert csv.status_code == 200 and "赞成" in csv.get_data().decode("utf-8-sig")
    pdf = staff_client.get(f"{base(community)}/manage/{poll.id}/results.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_residents_list_open_polls_first_with_my_state(resident_client, community, staff):
    closed = create_poll(community, staff, title="旧的")
    services.close_poll(closed)
    create_poll(community, staff, publish=False, title="草稿")
    current = create_poll(community, staff, title="新的")
    polls = resident_client.get(base(community)).json
    assert [(p["id"], p["can_vote"]) for p in polls] == [(current.id, True), (closed.id, False)]


def test_an_open_poll_shows_names_beside_choices_and_a_secret_one_does_not(make_client, community, staff):
    voter = factories.create_resident(community, name="钱大爷")
    client = factories.logged_in(make_client(), voter)
    open_poll = create_poll(community, staff, results="live")
    secret = create_poll(community, staff, results="live", secret=True)
    vote(client, community, open_poll, 1)
    vote(client, community, secret, 1)
    shown = client.get(f"{base(community)}/{open_poll.id}/results").json["named"]
    assert shown == [{"name": "钱大爷", "channel": "online", "choices": [open_poll.options[1].id]}]
    assert client.get(f"{base(community)}/{secret.id}/results").json["named"] is None


def test_a_poll_counted_by_home_prints_a_slip_for_every_home_even_without_a_phone(staff_client, community, staff):
    registered = factories.create_resident(community)
    empty = factories.create_dwelling(community)  # nobody there has an account
    poll = create_poll(community, staff, counting="dwelling")
    assert poll.roll_heads == 2
    slips = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-codes").json
    assert sorted(s["label"] for s in slips) == sorted([registered.residencies[0].dwelling.label, empty.label])
    body = {"code": slips[0]["code"], "choices": [poll.options[0].id]}
    assert staff_client.post(f"{base(community)}/manage/{poll.id}/paper-ballots", json=body).status_code == 201


def test_the_staff_list_counts_voters_at_the_same_cost_for_any_number_of_polls(staff_client, resident_client,
                                                                               community, staff):
    from tests.querycount import count_queries
    vote(resident_client, community, create_poll(community, staff), 0)
    db.session.commit()
    with count_queries() as few:
        first = staff_client.get(f"{base(community)}/manage").json
    for _ in range(4):
        vote(resident_client, community, create_poll(community, staff), 1)
    db.session.commit()
    with count_queries() as many:
        listed = staff_client.get(f"{base(community)}/manage").json
    assert [p["voters"] for p in first] == [1] and [p["voters"] for p in listed] == [1] * 5
    assert len(many) == len(few)


def test_paper_codes_for_thousands_of_homes_never_collide(staff_client, community, staff, monkeypatch):
    from backend.voting import ballots
    for _ in range(3):
        factories.create_dwelling(community)
    poll = create_poll(community, staff, counting="dwelling")
    # Slip 1: AAAA and its secret; slip 2 draws AAAA twice before BBBB; slip 3: CCCC.
    draws = iter("AAAA" "AAAAAAAA" "AAAA" "AAAA" "BBBB" "BBBBBBBB" "CCCC" "CCCCCCCC")
    monkeypatch.setattr(ballots.secrets, "choice", lambda _alphabet: next(draws))
    slips = staff_client.post(f"{base(community)}/manage/{poll.id}/paper-codes").json
    assert [s["code"][:4] for s in slips] == ["AAAA", "BBBB", "CCCC"]


@pytest.mark.parametrize("signed_at, field", [
    ("2099-01-01T00:00:00Z", "signed_at"),           # in the future
    ("2020-01-01T00:00:00Z", "signed_at"),           # long before the poll was set up
    ("9999-12-31T23:59:59-14:00", "signed_at"),      # beyond what UTC can hold: a 422, not an overflow
    ("0001-01-01T00:00:00+14:00", "signed_at"),
])
def test_a_consent_signed_at_an_impossible_time_is_refused_and_changes_nothing(staff_client, community, staff,
                                                                               signed_at, field):
    owner = owner_of(community, factories.create_dwelling(community))
    poll = create_poll(community, staff, kind="owners", options=[])
    body = {**proxy_body(poll, owner, upload_consent_photo(staff_client, community)), "signed_at": signed_at}
    r = staff_client.post(f"{base(community)}/manage/{poll.id}/proxy-ballots", json=body)
    assert r.status_code == 422 and field in r.json["errors"], r.json
    assert count(ProxyConsent) == 0 and count(Participation) == 0


def test_a_poll_closing_beyond_what_utc_can_hold_is_a_422(staff_client, community):
    body = {"title": "议题", "kind": "opinion", "options": ["A", "B"], "closes_at": "9999-12-31T23:59:59-14:00",
            "scope": {"everyone": True}}
    r = staff_client.post(f"{base(community)}/manage", json=body)
    assert r.status_code == 422 and "closes_at" in r.json["errors"], r.json
