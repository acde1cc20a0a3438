"""Demo directory for 幸福里社区: the cadres, three grid workers, the police officer, a doctor and a lawyer."""
from datetime import timedelta

from sqlalchemy import select

from backend.accounts.models import User
from backend.contacts import roster, services
from backend.contacts.models import Contact
from backend.extensions import db
from backend.places.models import Grid

OFFICE = [(d, 510, 720) for d in range(5)] + [(d, 810, 1050) for d in range(5)]  # 08:30–12:00, 13:30–17:30
LATE = [(d, 600, 1140) for d in range(5)]  # 10:00–19:00, for those who work after hours (错时工作制)
PROFILES = [  # phone of the demo account (or None), name, position, title, handles, tags, work phone, hours
    ("13800000001", "王建国", "secretary", "社区党委书记", "党建工作、重大事项协调、居民来访接待",
     ["党建", "来访接待"], "0755-26601001", OFFICE),
    ("13800000002", "李秀英", "director", "居委会主任", "居委会日常工作、居住证明、困难群众救助",
     ["居住证明", "救助"], "0755-26601002", OFFICE),
    ("13800000011", "张伟", "grid_worker", "第一网格网格员", "居住证明、独居老人走访、垃圾分类",
     ["独居老人", "垃圾分类"], "0755-26601011", OFFICE),
    ("13800000012", "刘芳", "grid_worker", "第二网格网格员", "出租屋登记、流动人口、矛盾调解",
     ["出租屋", "调解"], "0755-26601012", LATE),
    ("13800000013", "陈磊", "grid_worker", "第三网格网格员", "消防安全巡查、电动车充电、环境卫生",
     ["消防", "电动车"], "0755-26601013", OFFICE),
    (None, "周建军", "police", "粤海派出所社区民警", "户籍办理、治安防范、反诈宣传",
     ["户籍", "反诈"], "0755-26602110", [(2, 540, 690), (4, 540, 690)]),
    (None, "孙丽华", "doctor", "粤海社康中心家庭医生", "家庭医生签约、慢病随访、老人体检",
     ["签约", "体检"], "0755-26603120", [(1, 840, 1020), (3, 840, 1020)]),
    (None, "吴晓梅", "lawyer", "社区法律顾问（党员）", "法律咨询、合同审查、劳动纠纷",
     ["法律援助", "劳动纠纷"], "0755-26604148", [(3, 870, 1050)]),
]
SATURDAY_DUTY = {"李秀英": (540, 720), "刘芳": (840, 1020)}  # 周六值班 (无假日社区)


def seed_contacts(community, author) -> bool:
    """Idempotent: does nothing if the community already has a directory."""
    if db.session.scalar(select(Contact.id).filter_by(community_id=community.id).limit(1)):
        return False
    grids = {g.name: g.id for g in db.session.scalars(select(Grid).filter_by(community_id=community.id))}
    today = roster.local_now(community.timezone).date()
    saturdays = [today + timedelta(days=n) for n in range(1, 29) if (today + timedelta(days=n)).weekday() == 5]
    for phone, name, position, title, handles, tags, work_phone, hours in PROFILES:
        user = db.session.scalar(select(User).filter_by(phone=phone)) if phone else None
        grid = title[:4] if position == "grid_worker" else None
        contact = services.create_contact(
            community.id, author, name=name, position=position, title=title, handles=handles, tags=tags,
            work_phone=work_phone, user_id=user.id if user else None,
            private_mobile=phone or "", show_mobile=position == "grid_worker",
            grid_ids=[grids[grid]] if grid in grids else [],
            party={"areas": ["law", "employment"], "hours": "每月第一个周六上午"} if position == "lawyer" else None)
        week = [{"weekday": d, "start": s, "end": e} for d, s, e in hours]
        duty = SATURDAY_DUTY.get(name)
        exceptions = [{"date": day, "off": False, "start": duty[0], "end": duty[1], "note": "周六值班"}
                      for day in saturdays] if duty else []
        roster.replace_roster(contact, community.timezone, week, exceptions)
    return True
