"""Demo convenience services around 幸福里 (南山区粤海街道, Shenzhen): six verified providers with their services
and prices, and a few residents' ratings."""
from decimal import Decimal

from sqlalchemy import select

from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.providers import ratings
from backend.providers.models import Provider, ProviderService
from backend.providers.services import index_provider


def _week(ranges, days=DAYS):
    return {d: ranges if d in days else [] for d in DAYS}


# name, category, phone, address, lat, lng, service area, hours, description, services (name, from, to, unit)
PROVIDERS = [
    ("阿姨帮家政服务", "housekeeping", "0755-2661 8801", "科苑路 18 号商铺 6 号", 22.5398, 113.9405,
     "本社区及周边 3 公里", _week([["08:00", "20:00"]]), "持证家政员上门，钟点工、深度保洁、月嫂育儿嫂。",
     [("日常保洁", 35, 45, "小时"), ("深度保洁", 6, 10, "平方米"), ("擦玻璃", 5, 8, "平方米")]),
    ("老李水电维修", "repair", "0755-2661 2345", "幸福里小区 3 栋架空层", 22.5402, 113.9409,
     "本社区", _week([["08:00", "21:00"]]), "二十年水电老师傅，水管、电路、灯具、马桶，小活当天上门。",
     [("换水龙头", 30, 80, "次"), ("疏通下水道", 80, 200, "次"), ("电路检修", 50, 150, "次")]),
    ("平安开锁 (公安备案)", "locksmith", "0755-2661 0110", "科苑路 22 号", 22.5411, 113.9418,
     "南山区粤海街道", _week([["00:00", "24:00"]]), "公安备案开锁，开锁前核验身份证与住址。24 小时上门。",
     [("开门锁", 80, 150, "次"), ("换锁芯 (C 级)", 150, 300, "个"), ("汽车开锁", 100, 200, "次")]),
    ("社区长者食堂", "meals", "0755-2666 1288", "党群服务中心一楼", 22.5405, 113.9412,
     "本社区 60 岁以上老人优先", _week([["11:00", "13:00"], ["17:00", "18:30"]]),
     "两荤一素一汤，少油少盐；行动不便的老人可送餐上门。",
     [("午餐", 12, 15, "份"), ("晚餐", 12, 15, "份"), ("送餐上门", 2, 2, "次")]),
    ("便民理发室", "haircut", "0755-2661 5566", "幸福里小区南门旁", 22.5397, 113.9414,
     "本社区", _week([["09:00", "12:00"], ["14:00", "19:00"]], DAYS[1:]),
     "老人理发优惠，每月第一个周三为长者免费理发日。",
     [("男士理发", 15, 25, "次"), ("女士剪发", 25, 40, "次"), ("上门理发 (行动不便)", 30, 50, "次")]),
    ("菜鸟驿站 (幸福里店)", "parcels", "0755-2661 7788", "幸福里小区北门", 22.5412, 113.9407,
     "本社区", _week([["08:30", "21:30"]]), "快递代收代寄，保管 3 天免费；大件可预约送货上门。",
     [("代收快递", 0, 0, "件"), ("寄快递", 8, 20, "件"), ("送货上门", 2, 5, "件")]),
]
RATINGS = [(0, 5, "阿姨做事细致，准时。"), (1, 5, "李师傅半小时就到了，收费公道。"), (1, 4, ""),
           (3, 5, "饭菜清淡，适合老人。"), (4, 4, "老人理发很耐心。")]


def _provider(community_id: int, verifier, row) -> Provider:
    name, category, phone, address, lat, lng, area, hours, description, services = row
    provider = Provider(community_id=community_id, name=name, category=category, phone=phone.replace(" ", ""),
                        address=address, latitude=lat, longitude=lng, service_area=area, hours=hours,
                        description=description, photos=[], status="verified", verified_by_id=verifier.id,
                        verified_at=utcnow())
    provider.services = [ProviderService(community_id=community_id, name=n, price_from=Decimal(lo),
                                         price_to=Decimal(hi), unit=unit, position=i)
                         for i, (n, lo, hi, unit) in enumerate(services)]
    db.session.add(provider)
    db.session.flush()
    index_provider(provider)
    return provider


def seed_providers(community, verifier) -> bool:
    """Idempotent: does nothing if the community already lists providers."""
    if db.session.scalar(select(Provider.id).filter_by(community_id=community.id).limit(1)):
        return False
    providers = [_provider(community.id, verifier, row) for row in PROVIDERS]
    db.session.commit()
    residents = list(db.session.scalars(select(Residency).filter_by(community_id=community.id, status="verified")
                                        .order_by(Residency.id).limit(len(RATINGS))))
    for residency, (n, stars, text) in zip(residents, RATINGS):
        ratings.rate(community.id, providers[n].id, residency.user, stars, text, residency.dwelling_id)
    return True
