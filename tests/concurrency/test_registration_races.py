"""Many phones at once, against the real database: an invite code is never used more than allowed,
and one phone number never makes two accounts."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from backend.accounts.models import InviteCode, Residency, User
from backend.common.models import utcnow
from backend.extensions import db
from tests import factories

THREADS = 12


def race(app, bodies):
    db.session.commit()  # the test holds no transaction while the threads write
    def register(body):
        client = app.test_client()
        return client.post("/api/v1/auth/register", json=body).status_code
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(register, bodies))


def test_invite_code_is_used_at_most_max_uses_times(app, community):
    staff = factories.create_user(community, role="staff")
    invite = InviteCode(community_id=community.id, code="RACE2345", dwelling=factories.create_dwelling(community),
                        relation="family", expires_at=utcnow() + timedelta(days=1), max_uses=3,
                        created_by_id=staff.id)
    db.session.add(invite)
    db.session.commit()
    bodies = [{"phone": f"1360000{i:04d}", "password": "long-enough-1", "name": f"住户{i}",
               "community_id": community.id, "invite_code": "RACE2345"} for i in range(THREADS)]
    codes = race(app, bodies)
    assert sorted(codes) == [201] * 3 + [422] * (THREADS - 3)
    db.session.expire_all()
    assert db.session.get(InviteCode, invite.id).uses == 3
    assert db.session.scalar(select(func.count()).select_from(Residency)) == 3
    assert db.session.scalar(select(func.count()).select_from(User)) == 1 + 3


def test_one_phone_makes_one_account(app, community):
    dwelling = factories.create_dwelling(community)
    body = {"phone": "13600000001", "password": "long-enough-1", "name": "抢注",
            "community_id": community.id, "dwelling_id": dwelling.id, "relation": "owner"}
    codes = race(app, [body] * THREADS)
    assert sorted(codes) == [201] + [409] * (THREADS - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
