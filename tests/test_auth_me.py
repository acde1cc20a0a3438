"""GET /auth/me costs the same few statements however many homes and roles the person has."""
from backend.accounts import services
from backend.accounts.models import Residency
from backend.accounts.schemas import MeSchema
from backend.common.models import utcnow
from backend.extensions import db
from tests import factories
from tests.querycount import count_queries

ME = "/api/v1/auth/me"


def _statements(client) -> list[str]:
    client.get(ME)  # the session cookie settled: the request below is an ordinary one
    with count_queries() as statements:
        assert client.get(ME).status_code == 200
    return [s for s in statements if s.strip().upper() != "BEGIN"]


def _add_homes(user, community, n: int) -> None:
    for _ in range(n):
        db.session.add(Residency(user=user, community_id=community.id, dwelling=factories.create_dwelling(community),
                                 relation="owner", status="verified", verified_at=utcnow()))
    db.session.commit()


def test_me_costs_the_same_with_one_home_or_three_and_a_second_role(make_client, community, other_community):
    one = factories.create_resident(community)
    three = factories.create_resident(community)
    _add_homes(three, community, 2)
    services.ensure_membership(three, other_community.id, "staff", "网格员")
    db.session.commit()
    few = _statements(factories.logged_in(make_client(), one))
    client = factories.logged_in(make_client(), three)
    many = _statements(client)
    # The principal, then the memberships and the residencies with what they show joined in.
    assert len(few) == len(many) == 3, many
    body = client.get(ME).json
    assert len(body["residencies"]) == 3 and all(r["dwelling"]["building"]["name"] for r in body["residencies"])
    assert sorted(m["role"] for m in body["memberships"]) == ["resident", "staff"]
    assert {m["community"]["name"] for m in body["memberships"]} == {community.name, other_community.name}


def test_nothing_is_read_while_the_profile_is_serialised(community):
    user = factories.create_resident(community)
    _add_homes(user, community, 2)
    db.session.expire_all()
    with count_queries() as loading:
        loaded = services.profile(user)
    with count_queries() as serialising:
        body = MeSchema().dump(loaded)
    assert len(body["residencies"]) == 3 and body["memberships"][0]["community"]["name"] == community.name
    assert serialising == [] and loading


def test_me_is_what_its_schema_dumps(community, other_community):
    """/auth/me is dumped without marshmallow: what it shows must stay what the documented schema says."""
    building = factories.create_building(community, grid=factories.create_grid(community))
    gridded = factories.create_dwelling(community, building)
    user = factories.create_resident(community, dwelling=gridded, birth_year=1950, care_mode=True)
    db.session.add(Residency(user=user, community_id=community.id, dwelling=factories.create_dwelling(community),
                             relation="tenant", status="rejected", reject_reason="不符"))
    services.ensure_membership(user, other_community.id, "staff", "网格员")
    db.session.commit()
    shown = services.me(user)
    assert shown == MeSchema().dump(services.profile(user))
    assert [r["dwelling"]["grid"] is None for r in shown["residencies"]] == [False, True]
    assert len(shown["memberships"]) == 2
