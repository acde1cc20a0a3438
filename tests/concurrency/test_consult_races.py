"""Questions acted on by several people at the same moment, against the real database."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from backend.consult.models import Question, QuestionEntry
from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from tests import factories
from tests.concurrency.test_idempotent_races import THREADS, race
from tests.consult_factories import ask, base, linked_contact, resident_in


def test_staff_making_the_same_faq_at_once_make_one_guide_item(make_client, community):
    question = ask(community, resident_in(community), faq_consent=True)
    staff = [factories.logged_in(make_client(), factories.create_user(community, role="staff"))
             for _ in range(THREADS)]
    staff[0].post(f"{base(community)}/{question.id}/answers", json={"text": "带身份证到居委会登记即可。"})
    body = {"title": "助餐卡怎么办", "answer": "带身份证登记。"}
    statuses = race(staff, f"{base(community)}/{question.id}/faq", body)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(GuideItem)) == 1
    assert db.session.scalar(select(func.count()).select_from(GuideCategory)) == 1
    assert db.session.get(Question, question.id).faq_item_id == db.session.scalar(select(GuideItem.id))


def test_answers_racing_a_close_never_reopen_the_question(make_client, community):
    asker = resident_in(community)
    _, worker = linked_contact(community)
    question = ask(community, asker)
    answerers = [factories.logged_in(make_client(), worker) for _ in range(THREADS - 1)]
    closer = factories.logged_in(make_client(), asker)
    path = f"{base(community)}/{question.id}"
    db.session.commit()  # the test holds no transaction while the threads write
    barrier = threading.Barrier(THREADS)

    def act(n: int) -> int:
        barrier.wait()
        if n == 0:
            return closer.post(f"{path}/close").status_code
        return answerers[n - 1].post(f"{path}/answers", json={"text": f"第{n}条答复"}).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(act, range(THREADS)))
    db.session.expire_all()
    row = db.session.get(Question, question.id)
    assert statuses[0] == 200 and (row.status, row.closed_at is not None) == ("closed", True)
    assert set(statuses[1:]) <= {201, 409}
    assert db.session.scalar(select(func.count()).select_from(QuestionEntry)) == statuses.count(201)
