"""Demo questions for 幸福里社区: routes by topic, and questions answered and rated, open, and overdue."""
from datetime import date, timedelta

from sqlalchemy import select

from backend.accounts.models import User
from backend.common.models import utcnow
from backend.consult import services, settings
from backend.consult.models import Question
from backend.contacts.models import Contact
from backend.extensions import db

ROUTES = {"law": "吴晓梅", "elderly": "张伟"}  # topic → the contact's name
QUESTIONS = [  # asker's phone, topic, text, FAQ consent, days ago, answer (answerer's phone, text, helpful)
    ("13900000001", "elderly", "我今年78岁，一个人住，社区有没有老年助餐？怎么申请？", True, 5,
     ("13800000011", "您好！社区长者饭堂在社区服务中心一楼，每天11:00–12:30供餐，60岁以上老人每餐补贴5元，"
      "80岁以上补贴8元。带身份证到居委会登记即可办理助餐卡，行动不便的可以申请送餐上门。", True)),
    ("13900000103", "certificates", "开居住证明需要带哪些材料？要本人去吗？", True, 2,
     ("13800000002", "带本人身份证和租房合同（或房产证）到居委会即可当场开具，家属代办需带双方身份证。", None)),
    ("13900000101", "law", "房东到期不退押金，说墙面有污渍要扣一千块，我该怎么办？", False, 0, None),
    ("13900000102", "environment", "5栋楼下的垃圾桶好几天没人清运了，味道很大，能不能尽快处理？", False, 6, None),
]


def _contact_id(community_id: int, name: str) -> int | None:
    return db.session.scalar(select(Contact.id).filter_by(community_id=community_id, name=name))


def _user(phone: str) -> User:
    return db.session.scalar(select(User).filter_by(phone=phone))


def seed_questions(community) -> bool:
    """Idempotent: does nothing if the community already has questions."""
    if db.session.scalar(select(Question.id).filter_by(community_id=community.id).limit(1)):
        return False
    routes = [{"topic": t, "contact_id": c} for t, name in ROUTES.items()
              if (c := _contact_id(community.id, name)) is not None]
    settings.save_settings(community.id, 2, routes, [date(2027, 1, 1)], [date(2027, 2, 7)])
    now = utcnow()
    for phone, topic, text, consent, days_ago, answer in QUESTIONS:
        asked = now - timedelta(days=days_ago, hours=2)
        question = services.ask(community.id, _user(phone), topic, text, [], faq_consent=consent, now=asked)
        if answer:
            answerer, reply, helpful = answer
            question = services.answer(question, _user(answerer), reply, now=asked + timedelta(hours=20))
            if helpful is not None:
                services.feedback(question, _user(phone), helpful, close=True, now=asked + timedelta(days=1))
    return True
