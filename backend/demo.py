"""The demo community: 幸福里社区, 3 grids, 10 buildings, 300 dwellings, staff and residents."""
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from backend.accounts.models import InviteCode, Residency, User
from backend.accounts.services import ensure_membership, hash_password
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, DwellingOwner, Grid, GridWorker, dwelling_label

PASSWORD = "demo1234"
INVITE = "XFL2026A"
STAFF = [  # phone, name, title
    ("13800000001", "王建国", "党委书记"),
    ("13800000002", "李秀英", "居委会主任"),
    ("13800000011", "张伟", "网格员"),
    ("13800000012", "刘芳", "网格员"),
    ("13800000013", "陈磊", "网格员"),
]
ADMIN = ("13800000000", "系统管理员")
RESIDENT = ("13900000001", "赵大妈")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["秀兰", "桂英", "建华", "志强", "丽娟", "海燕", "国庆", "玉梅", "文博", "子涵", "思远", "佳怡",
         "德明", "淑珍", "建军", "晓东", "春花", "永刚", "雨轩", "浩然"]
_hash = ""
LOGINS_TEXT = f"""Demo logins (password {PASSWORD} for all):
  staff  13800000001 王建国 (党委书记)   13800000002 李秀英 (居委会主任)
  grid   13800000011 张伟 / 13800000012 刘芳 / 13800000013 陈磊 (网格员)
  admin  {ADMIN[0]}
  resident {RESIDENT[0]} {RESIDENT[1]} (verified owner)
  household invite code for registering: {INVITE}"""


def _user(phone: str, name: str, **extra) -> User:
    global _hash
    _hash = _hash or hash_password(PASSWORD)  # one slow hash, shared by every demo account
    user = User(phone=phone, name=name, password_hash=_hash, **extra)
    db.session.add(user)
    return user


def _places(community: Community, rnd: random.Random) -> list[Dwelling]:
    grids = [Grid(community_id=community.id, name=f"第{n}网格") for n in "一二三"]
    dwellings = []
    for b in range(1, 11):
        building = Building(community_id=community.id, name=f"{b}栋", grid=grids[(b - 1) * 3 // 10])
        for unit in ("1", "2"):
            for floor in range(1, 6):
                for room in range(1, 4):
                    dwellings.append(Dwelling(
                        community_id=community.id, building=building, unit=unit, room=f"{floor}0{room}",
                        label=dwelling_label(building.name, unit, f"{floor}0{room}"),
                        floor_area=Decimal(rnd.randrange(5500, 14000)) / 100))
    db.session.add_all(grids + dwellings)
    return dwellings


def _staff(community: Community, grids: list[Grid]) -> User:
    users = [_user(phone, name) for phone, name, _ in STAFF]
    for user, (_, _, title) in zip(users, STAFF):
        ensure_membership(user, community.id, "staff", title)
    db.session.flush()
    for grid, worker in zip(grids, users[2:]):
        db.session.add(GridWorker(community_id=community.id, grid_id=grid.id, user_id=worker.id))
    return users[0]


def _residents(community: Community, dwellings: list[Dwelling], rnd: random.Random, secretary: User):
    homes = rnd.sample(dwellings, 50)
    for i, home in enumerate(homes):
        phone, name = (RESIDENT if i == 0 else
                       (f"139{i + 100:08d}", rnd.choice(SURNAMES) + rnd.choice(GIVEN)))
        user = _user(phone, name, care_mode=(i == 0))
        ensure_membership(user, community.id, "resident")
        relation = "owner" if i % 3 != 2 else rnd.choice(["tenant", "family"])
        if relation == "owner":
            home.owners.append(DwellingOwner(community_id=community.id, phone=phone))
        pending = i % 7 == 6
        db.session.add(Residency(
            user=user, community_id=community.id, dwelling=home, relation=relation,
            status="pending" if pending else "verified",
            verified_by_id=None if pending else secretary.id,
            verified_at=None if pending else utcnow() - timedelta(days=rnd.randrange(1, 300))))
    return homes


def _guide_and_facilities(community: Community) -> bool:
    from backend.facilities.demo_data import seed_facilities
    from backend.guide.demo_data import seed_guide
    centre_id = seed_facilities(community.id)
    return seed_guide(community.id, centre_id)


def _notices(community: Community) -> bool:
    from backend.notices.demo import seed_notices
    return seed_notices(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _polls(community: Community) -> bool:
    from backend.voting.demo import seed_polls
    return seed_polls(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _contacts(community: Community) -> bool:
    from backend.contacts.demo import seed_contacts
    return seed_contacts(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _questions(community: Community) -> bool:
    from backend.consult.demo import seed_questions
    return seed_questions(community)


def _points(community: Community) -> bool:
    from backend.points.demo import seed_points
    return seed_points(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _volunteering(community: Community) -> bool:
    from backend.volunteering.demo import seed_volunteering
    return seed_volunteering(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _providers(community: Community) -> bool:
    from backend.providers.demo import seed_providers
    return seed_providers(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def _bookings(community: Community) -> bool:
    from backend.bookings.demo import seed_bookings
    return seed_bookings(community, db.session.scalar(select(User).filter_by(phone=STAFF[0][0])))


def seed() -> bool:
    if existing := db.session.scalar(select(Community).filter_by(name="幸福里社区")):
        added = _guide_and_facilities(existing)  # a database seeded before the guide existed gets it now
        added = _notices(existing) or added
        added = _polls(existing) or added
        added = _contacts(existing) or added
        added = _questions(existing) or added
        added = _points(existing) or added
        added = _volunteering(existing) or added
        added = _providers(existing) or added
        added = _bookings(existing) or added
        db.session.commit()
        return added
    rnd = random.Random(2026)
    community = Community(name="幸福里社区", district="南山区", street="粤海街道")
    db.session.add(community)
    db.session.flush()
    dwellings = _places(community, rnd)
    db.session.flush()
    grids = list(db.session.scalars(select(Grid).filter_by(community_id=community.id).order_by(Grid.id)))
    secretary = _staff(community, grids)
    if not db.session.scalar(select(User).filter_by(phone=ADMIN[0])):
        _user(*ADMIN, is_admin=True)
    homes = _residents(community, dwellings, rnd, secretary)
    free = next(d for d in dwellings if d not in homes)
    db.session.add(InviteCode(community_id=community.id, code=INVITE, dwelling=free, relation="family",
                              expires_at=utcnow() + timedelta(days=3650), max_uses=100,
                              created_by_id=secretary.id))
    _guide_and_facilities(community)
    _notices(community)
    db.session.commit()
    _polls(community)
    _contacts(community)
    _questions(community)
    _points(community)
    _volunteering(community)
    _providers(community)
    _bookings(community)
    return True
