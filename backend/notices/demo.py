"""Demo notices for 幸福里社区: a few of each kind, some read, one scheduled, one draft."""
import random
from datetime import timedelta

from sqlalchemy import select, update

from backend.common.models import utcnow
from backend.extensions import db
from backend.notices import fanout, services
from backend.notices.models import Notice, NoticeRecipient
from backend.places.models import Building, Grid

EVERYONE = {"everyone": True}
NOTICES = [  # title, category, body, extra
    ("关于今晚22:00至明早6:00全小区停水的紧急通知", "urgent",
     "<p>因市政供水主管道抢修，<strong>今晚22:00至明早6:00</strong>全小区停水。</p>"
     "<p>请各位居民提前储水，关好水龙头。行动不便的老人如需送水，请联系网格员。</p>",
     {"pinned": True, "ack_required": True}),
    ("2026年度城乡居民医疗保险开始缴费", "policy",
     "<p>2026年度城乡居民医保缴费时间为即日起至12月31日。</p><ul><li>成年人每人每年380元</li>"
     "<li>60周岁以上老人、低保对象有补贴</li></ul><p>可在社区服务站代缴，带身份证即可。</p>", {}),
    ("重阳节敬老活动报名", "activity",
     "<p>10月29日上午9:00在社区活动室举办重阳节敬老茶话会，有义诊、理发和文艺表演。</p>"
     "<p>70岁以上老人请到居委会报名，名额80人。</p>", {}),
    ("3栋电梯年检，暂停使用半天", "service",
     "<p>3栋1、2单元电梯将于本周四8:30–12:00进行年度检验，期间暂停使用，请合理安排出行。</p>",
     {"building": "3栋"}),
    ("关于使用维修资金更换老旧电梯的业主意见征集", "policy",
     "<p>根据业主反映，1至4栋电梯已使用超过15年。业委会拟申请使用住宅专项维修资金更换，"
     "现征集业主意见，后续将在线上发起表决。</p>", {"roles": ["owner"]}),
    ("第一网格：楼道杂物清理通知", "service",
     "<p>为消除消防隐患，本周六将统一清理楼道杂物，请各户自行搬离楼道内的纸箱、旧家具。</p>",
     {"grid": "第一网格"}),
]


def _audience(community_id: int, extra: dict) -> dict:
    if name := extra.pop("building", None):
        return {"building_ids": [db.session.scalar(select(Building.id).filter_by(community_id=community_id,
                                                                                 name=name))]}
    if name := extra.pop("grid", None):
        return {"grid_ids": [db.session.scalar(select(Grid.id).filter_by(community_id=community_id, name=name))]}
    if roles := extra.pop("roles", None):
        return {"roles": roles}
    return EVERYONE


def seed_notices(community, author) -> bool:
    """Idempotent: does nothing if the community already has notices."""
    if db.session.scalar(select(Notice.id).filter_by(community_id=community.id).limit(1)):
        return False
    rnd = random.Random(7)
    for title, category, body, extra in NOTICES:
        extra = dict(extra)
        audience = _audience(community.id, extra)
        notice = services.create_notice(community.id, author, title=title, body=body, category=category,
                                        audience=audience, push=False, **extra)
        services.publish_notice(notice)
        fanout.drain()  # addressed now, not by a worker later: the demo's residents have read some
        _some_read(notice, rnd)
    drill = services.create_notice(community.id, author, title="下周三上午消防疏散演练", category="activity",
                                   body="<p>下周三10:00进行消防疏散演练，听到警报请从楼梯有序撤离到中心广场。</p>",
                                   audience=EVERYONE, push=True)
    services.publish_notice(drill, utcnow() + timedelta(days=6))
    services.create_notice(community.id, author, title="垃圾分类宣传周（草稿）", category="other",
                           body="<p>待补充活动安排。</p>", audience=EVERYONE, push=True)
    return True


def _some_read(notice: Notice, rnd: random.Random) -> None:
    users = list(db.session.scalars(select(NoticeRecipient.user_id).filter_by(notice_id=notice.id)))
    readers = [u for u in users if rnd.random() < 0.6]
    now = utcnow()
    db.session.execute(update(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id,
                                                     NoticeRecipient.user_id.in_(readers))
                       .values(read_at=now - timedelta(hours=rnd.randrange(1, 48))))
    db.session.commit()
