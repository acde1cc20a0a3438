"""Demo points for 幸福里社区: a love supermarket of goods and a partner's services, and residents with points."""
from sqlalchemy import select

from backend.accounts.models import Residency, User
from backend.extensions import db
from backend.points import catalog, ledger, partners
from backend.points.models import CatalogItem

PARTNER_PHONE = "13900000105"  # a verified demo resident who acts for the partner (the barber)
GOODS = [  # title, description, points, stock, monthly limit
    ("洗衣液 2kg", "蓝月亮深层洁净洗衣液", 80, 20, 1),
    ("大米 5kg", "东北长粒香大米", 120, 15, 1),
    ("食用油 1.8L", "鲁花花生油", 150, 10, 1),
    ("抽纸 6包", "清风原木纯品抽纸", 40, 40, 2),
    ("鸡蛋 10枚", "新鲜土鸡蛋", 30, 30, 2),
    ("牙膏", "云南白药牙膏 120g", 35, 25, None),
    ("毛巾", "纯棉毛巾两条装", 25, 30, None),
    ("雨伞", "折叠晴雨伞", 60, 8, 1),
]
SERVICES = [  # title, description, points, monthly limit
    ("理发", "幸福里便民理发店，老人儿童单剪", 50, 1),
    ("家电维修", "上门检查小家电一次（不含配件）", 100, 1),
    ("助餐", "长者饭堂午餐一份", 20, 10),
]
AWARDS = [("13900000001", 300, "志愿服务积分（示范）"), ("13900000101", 120, "垃圾分类好"),
          ("13900000102", 80, "楼道清洁志愿者"), ("13900000103", 200, "志愿服务积分（示范）"),
          ("13900000104", 60, "垃圾分类好"), ("13900000107", 150, "文明家庭")]


def _user(phone: str) -> User | None:
    return db.session.scalar(select(User).filter_by(phone=phone))


def seed_points(community, staff: User) -> bool:
    """Idempotent: does nothing if the community already has a catalogue."""
    if db.session.scalar(select(CatalogItem.id).filter_by(community_id=community.id).limit(1)):
        return False
    partner = partners.create(community.id, name="幸福里便民理发店", category="便民服务", phone="0755-86000000",
                              address="幸福里社区3栋底商", description="理发、家电维修、助餐，接受爱心积分兑换")
    if _user(PARTNER_PHONE):
        partners.add_member(community.id, partner.id, PARTNER_PHONE)
    for position, (title, description, cost, stock, limit) in enumerate(GOODS):
        catalog.create_item(community.id, staff, "goods", stock=stock, title=title, description=description,
                            points_cost=cost, monthly_limit=limit, partner_id=None, position=position)
    for position, (title, description, cost, limit) in enumerate(SERVICES, start=len(GOODS)):
        catalog.create_item(community.id, staff, "service", stock=None, title=title, description=description,
                            points_cost=cost, monthly_limit=limit, partner_id=partner.id, position=position)
    for phone, amount, memo in AWARDS:
        user = _user(phone)
        verified = user and db.session.scalar(select(Residency.id).filter_by(
            community_id=community.id, user_id=user.id, status="verified").limit(1))
        if verified:
            ledger.award(community.id, user.id, amount, kind="manual", key=f"demo:{phone}", memo=memo,
                         by_user_id=staff.id)
    db.session.commit()
    return True
