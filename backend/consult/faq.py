"""An answered question becomes a public FAQ: a published guide item in the category "常见问题".

Only with the asker's consent, and only from what staff wrote for it (a title and an edited answer): the
asker's name, home and own words are never copied.
"""
from sqlalchemy import func, select, update

from backend.common.db import upsert
from backend.consult.models import TOPICS, Question
from backend.errors import Conflict
from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from backend.guide.services import index_item

CATEGORY = "常见问题"
CATEGORY_ICON = "question-o"
SUMMARY = 200
STEP = 500
MAX_STEPS = 30  # as the guide's editor allows


def _category_id(community_id: int) -> int:
    """The community's FAQ category, made if missing (one statement, so two makers at once make one)."""
    last = db.session.scalar(select(func.max(GuideCategory.position)).filter_by(community_id=community_id))
    db.session.execute(upsert(GuideCategory).values(community_id=community_id, name=CATEGORY, icon=CATEGORY_ICON,
                                                    position=(last or 0) + 1)
                       .on_conflict_do_nothing(index_elements=["community_id", "name"]))
    return db.session.scalar(select(GuideCategory.id).filter_by(community_id=community_id, name=CATEGORY))


def _paragraphs(answer: str) -> list[str]:
    """A long answer, shown whole as the item's paragraphs (the summary holds its start)."""
    parts = [p.strip() for p in answer.splitlines() if p.strip()]
    if len(parts) <= MAX_STEPS and all(len(p) <= STEP for p in parts):
        return parts
    text = " ".join(parts)
    return [text[i:i + STEP] for i in range(0, len(text), STEP)]


def _item(question: Question, title: str, answer: str) -> GuideItem:
    category_id = _category_id(question.community_id)
    last = db.session.scalar(select(func.max(GuideItem.position)).filter_by(category_id=category_id))
    short = len(answer) <= SUMMARY
    return GuideItem(community_id=question.community_id, category_id=category_id, position=(last or 0) + 1,
                     title=title, summary=answer if short else answer[:SUMMARY - 1] + "…",
                     steps=[] if short else _paragraphs(answer), tags=[TOPICS[question.topic][0], CATEGORY],
                     aliases=[], materials=[], published=True)


def make_faq(question: Question, title: str, answer: str) -> dict:
    # The row is locked first (PostgreSQL; SQLite writers queue anyway): a second maker waits, then sees the first.
    row = db.session.execute(select(Question.faq_item_id, Question.faq_consent).where(Question.id == question.id)
                             .with_for_update()).one()
    if not row.faq_consent:
        raise Conflict("The asker did not allow a public FAQ from this question.", "no_faq_consent")
    if row.faq_item_id is not None:
        raise Conflict("An FAQ was already made from this question.", "faq_exists")
    if not any(not entry.is_asker for entry in question.answers):
        raise Conflict("Answer the question before making an FAQ of it.", "not_answered")
    item = _item(question, title, answer)
    db.session.add(item)
    db.session.flush()
    index_item(item)
    if not db.session.execute(update(Question).where(Question.id == question.id, Question.faq_item_id.is_(None))
                              .values(faq_item_id=item.id).execution_options(synchronize_session=False)).rowcount:
        raise Conflict("An FAQ was already made from this question.", "faq_exists")
    db.session.commit()
    return {"faq_item_id": item.id}
