"""A thousand ballots at once, against the real database: one per unit across the three channels."""
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from backend.common.models import utcnow
from backend.extensions import db
from backend.voting.models import Ballot, Participation
from tests import factories
from tests.voting_factories import create_poll, owner_of, upload_consent_photo

UNITS = 56
ONLINE_PER_OWNER = 8  # two co-owners each: 16 online tries per unit, plus one paper and one proxy → 18
THREADS = 24


def test_a_thousand_ballots_count_once_per_unit_whatever_the_channel(app, community, make_client):
    staff = factories.create_user(community, role="staff")
    homes = [factories.create_dwelling(community) for _ in range(UNITS)]
    owners = [(owner_of(community, home), owner_of(community, home)) for home in homes]
    poll = create_poll(community, staff, kind="owners", options=[])
    base = f"/api/v1/communities/{community.id}/polls/{poll.id}"
    staff_clients = [factories.logged_in(make_client(), staff) for _ in range(4)]
    slips = staff_clients[0].post(f"/api/v1/communities/{community.id}/polls/manage/{poll.id}/paper-codes").json
    assert len(slips) == UNITS
    yes = [poll.options[0].id]
    calls = []
    for n, (first, second) in enumerate(owners):
        for owner in (first, second):
            client = factories.logged_in(make_client(), owner)
            calls += [(client, f"{base}/ballots", {"choices": yes})] * ONLINE_PER_OWNER
        manage = f"/api/v1/communities/{community.id}/polls/manage/{poll.id}"
        calls.append((staff_clients[n % 4], f"{manage}/paper-ballots", {"code": slips[n]["code"], "choices": yes}))
        calls.append((staff_clients[n % 4], f"{manage}/proxy-ballots", {
            "resident_id": first.id, "choices": yes, "witness": "网格员", "signed_at": utcnow().isoformat(),
            "form_ref": f"委托-{n}", "photo": upload_consent_photo(staff_clients[n % 4], community)}))
    random.Random(7).shuffle(calls)
    assert len(calls) >= 1000
    db.session.commit()

    def cast(call):
        client, url, body = call
        r = client.post(url, json=body)
        return r.status_code, (r.json or {}).get("code")
    with ThreadPoolExecutor(THREADS) as pool:
        answers = Counter(pool.map(cast, calls))
    db.session.expire_all()
    assert answers[(201, None)] == UNITS, answers
    assert set(answers) <= {(201, None), (409, "already_voted")}, answers
    assert db.session.scalar(select(func.count()).select_from(Participation)) == UNITS
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == UNITS
    keys = db.session.scalars(select(Participation.voter_key))
    assert len(set(keys)) == UNITS
