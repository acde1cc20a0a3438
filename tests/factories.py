"""Test data: small helpers that write real rows."""
import itertools
from decimal import Decimal

from backend.accounts.models import Residency, User
from backend.accounts.services import ensure_membership, hash_password
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, Grid, dwelling_label

PASSWORD = "secret-pass-1"
_phones = itertools.count(13700000000)
_names = itertools.count(1)


def create_community(name: str | None = None, timezone: str = "Asia/Shanghai") -> Community:
    community = Community(name=name or f"测试社区{next(_names)}", district="南山区", street="粤海街道",
                          timezone=timezone)
    db.session.add(community)
    db.session.commit()
    return community


def create_grid(community: Community, name: str | None = None) -> Grid:
    grid = Grid(community_id=community.id, name=name or f"第{next(_names)}网格")
    db.session.add(grid)
    db.session.commit()
    return grid


def create_building(community: Community, name: str | None = None, grid: Grid | None = None) -> Building:
    building = Building(community_id=community.id, name=name or f"{next(_names)}栋", grid=grid)
    db.session.add(building)
    db.session.commit()
    return building


def create_dwelling(community: Community, building: Building | None = None, unit: str = "1",
                    room: str | None = None, area: str = "88.50") -> Dwelling:
    building = building or create_building(community)
    room = room or str(100 + next(_names))
    dwelling = Dwelling(community_id=community.id, building=building, unit=unit, room=room,
                        label=dwelling_label(building.name, unit, room), floor_area=Decimal(area))
    db.session.add(dwelling)
    db.session.commit()
    return dwelling


def create_user(community: Community | None = None, role: str = "resident", phone: str | None = None,
                name: str = "测试用户", title: str = "", **extra) -> User:
    user = User(phone=phone or str(next(_phones)), name=name, password_hash=hash_password(PASSWORD), **extra)
    db.session.add(user)
    if community is not None:
        ensure_membership(user, community.id, role, title)
    db.session.commit()
    return user


def create_resident(community: Community, dwelling: Dwelling | None = None, relation: str = "owner",
                    status: str = "verified", **extra) -> User:
    user = create_user(community, **extra)
    dwelling = dwelling or create_dwelling(community)
    db.session.add(Residency(user=user, community_id=community.id, dwelling=dwelling, relation=relation,
                             status=status, verified_at=utcnow() if status == "verified" else None))
    db.session.commit()
    return user


def logged_in(client, user: User, password: str = PASSWORD):
    response = client.post("/api/v1/auth/login", json={"phone": user.phone, "password": password})
    assert response.status_code == 200, response.json
    return client
