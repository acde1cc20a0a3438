"""Demo polls for 幸福里社区: an open opinion poll, an owners' decision on the lifts, a closed poll."""
import random
from datetime import timedelta

from sqlalchemy import select

from backend.accounts.models import Residency, User
from backend.common.models import utcnow
from backend.errors import DomainError
from backend.extensions import db
from backend.places.models import Building
from backend.voting import ballots, services
from backend.voting.models import Poll

EVERYONE = {"everyone": True, "grid_ids": [], "building_ids": []}


def seed_polls(community, author) -> bool:
    """Idempotent: does nothing if the community already has polls."""
    if db.session.scalar(select(Poll.id).filter_by(community_id=community.id).limit(1)):
        return False
    rnd = random.Random(11)
    now = utcnow()
    gate = services.create_poll(
        community.id, author, title="小区东门是否加装人脸识别门禁", kind="opinion", scope=EVERYONE,
        body="有居民反映外来人员随意进出。加装门禁需要每位居民登记人脸，老人也可刷卡进出。您的意见是？",
        options=[{"label": "赞成加装"}, {"label": "不赞成"}, {"label": "无所谓"}], results="after_vote",
        counting="dwelling", closes_at=now + timedelta(days=10))
    services.publish_poll(gate)
    buildings = list(db.session.scalars(select(Building.id).filter_by(community_id=community.id)
                                        .order_by(Building.id).limit(4)))
    lifts = services.create_poll(
        community.id, author, title="关于使用住宅专项维修资金更换1至4栋电梯的表决", kind="owners", matter="major",
        body="1至4栋电梯已使用超过15年，业委会提议使用住宅专项维修资金更换，预计每部电梯38万元。"
             "依照《民法典》第二百七十八条，需参与表决的业主专有部分面积和人数均达到三分之二以上，"
             "且同意的面积和人数均达到参与表决的四分之三以上。",
        scope={"everyone": False, "grid_ids": [], "building_ids": buildings}, secret=True,
        results="after_close", closes_at=now + timedelta(days=14), options=[])
    services.publish_poll(lifts)
    _some_votes(gate, rnd, 0.4)
    _some_votes(lifts, rnd, 0.5)
    return True


def _some_votes(poll: Poll, rnd: random.Random, share: float) -> None:
    residents = db.session.scalars(select(User).join(Residency, Residency.user_id == User.id).where(
        Residency.community_id == poll.community_id, Residency.status == "verified").distinct())
    for user in residents:
        if rnd.random() < share:
            option = rnd.choices(poll.options, weights=[6, 2, 1][:len(poll.options)])[0]
            try:
                ballots.cast_online(poll, user, [option.id])
            except DomainError:  # not eligible, or the home has voted already
                db.session.rollback()
