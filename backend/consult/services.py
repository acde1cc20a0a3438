"""Questions: asking (routed to someone), answering, following up, transferring, closing, and who sees them.

A question is private: its asker, the community's staff, and the user linked to the contact it is assigned to
now. Anyone else is told it does not exist. Status changes are conditional updates, so two people acting at
once cannot undo each other (an answer never reopens a closed question).
"""
from datetime import datetime

from sqlalchemy import and_, case, func, select, update

from backend.accounts.models import Membership, Residency
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.consult import notify
from backend.consult.models import Question, QuestionEntry, QuestionPhoto, QuestionTransfer
from backend.consult.settings import due_after, head, route, visible_contact
from backend.contacts.models import POSITIONS, Contact
from backend.errors import Conflict, Forbidden, NotFound, invalid
from backend.extensions import db
from backend.files import attach
from backend.places.models import Dwelling

PHOTO_PURPOSE = "question_photo"


def is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


def is_assignee(user, question: Question) -> bool:
    return question.assignee is not None and question.assignee.user_id == user.id


def may_answer(user, question: Question) -> bool:
    return is_staff(user, question.community_id) or is_assignee(user, question)


def may_read(user, question: Question) -> bool:
    return question.asker_id == user.id or may_answer(user, question)


def _homes(community_id: int, user_ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Residency.user_id, Dwelling.label).join(Dwelling, Dwelling.id == Residency.dwelling_id)
        .where(Residency.community_id == community_id, Residency.status == "verified",
               Residency.user_id.in_(user_ids)).order_by(Residency.id.desc()))
    return dict(rows.all())  # the oldest verified home wins


def present(questions: list[Question], user, now: datetime | None = None) -> list[Question]:
    """Set what depends on the moment and on the viewer: `overdue`, and the asker's card for answerers."""
    now = now or utcnow()
    shown = [q for q in questions if q.asker_id != user.id and may_answer(user, q)]
    homes = _homes(shown[0].community_id, {q.asker_id for q in shown}) if shown else {}
    for q in questions:
        q.overdue = q.status == "open" and q.due_at < now
        q.asker_card = {"name": q.asker.name, "home": homes.get(q.asker_id, "")} if q in shown else None
    return questions


def get_question(community_id: int, question_id: int, user) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.community_id != community_id or not may_read(user, question):
        raise NotFound("No such question.")
    return question


def _fresh(question: Question, user, now: datetime) -> Question:
    db.session.commit()
    return present([db.session.get(Question, question.id)], user, now)[0]


def ask(community_id: int, user, topic: str, text: str, photos: list[str], contact_id: int | None = None,
        faq_consent: bool = False, now: datetime | None = None) -> Question:
    now = now or utcnow()
    addressed = visible_contact(community_id, contact_id) if contact_id is not None else None
    assignee = addressed or route(community_id, topic, user)
    question = Question(community_id=community_id, asker_id=user.id, topic=topic, text=text, status="open",
                        addressed_contact_id=addressed.id if addressed else None, faq_consent=faq_consent,
                        assignee_contact_id=assignee.id if assignee else None, asked_at=now,
                        due_at=due_after(community_id, now))
    db.session.add(question)
    db.session.flush()
    for n, file_id in enumerate(photos):
        attach(file_id, community_id, PHOTO_PURPOSE, user, field="photos")
        db.session.add(QuestionPhoto(community_id=community_id, question_id=question.id, file_id=file_id, position=n))
    db.session.refresh(question)
    notify.to_assignee(question, now)
    return _fresh(question, user, now)


def list_mine(community_id: int, user, page: int = 1, per_page: int = 50, now: datetime | None = None) -> dict:
    stmt = (select(Question).filter_by(community_id=community_id, asker_id=user.id)
            .order_by(Question.asked_at.desc(), Question.id.desc()))
    result = paginate(stmt, page, per_page)
    present(result["items"], user, now)
    return result


def _my_contacts(community_id: int, user):
    return select(Contact.id).where(Contact.community_id == community_id, Contact.user_id == user.id)


def inbox(community_id: int, user, status: str | None = None, mine: bool | None = None, page: int = 1,
          per_page: int = 50, now: datetime | None = None) -> dict:
    """Staff see every question of the community; others only those assigned to them. Overdue first."""
    now = now or utcnow()
    stmt = select(Question).filter_by(community_id=community_id)
    if mine or not is_staff(user, community_id):
        stmt = stmt.where(Question.assignee_contact_id.in_(_my_contacts(community_id, user)))
    if status:
        stmt = stmt.filter_by(status=status)
    late = case((and_(Question.status == "open", Question.due_at < now), 0), else_=1)
    result = paginate(stmt.order_by(late, Question.due_at, Question.id), page, per_page)
    present(result["items"], user, now)
    return result


def _author(community_id: int, user) -> tuple[str, str]:
    """The name and title an answer is signed with: the answerer's directory profile, else their staff title."""
    contact = db.session.scalar(select(Contact).where(Contact.community_id == community_id,
                                                      Contact.user_id == user.id)
                                .order_by(Contact.visible.desc(), Contact.id).limit(1))
    if contact is not None:
        return contact.name, contact.title or POSITIONS[contact.position][0]
    title = db.session.scalar(select(Membership.title).filter_by(community_id=community_id, user_id=user.id,
                                                                 role="staff"))
    return user.name, title or ""


def _set(question: Question, *conditions, **values) -> bool:
    """Change the question only while `conditions` still hold; False when someone got there first."""
    return bool(db.session.execute(
        update(Question).where(Question.id == question.id, *conditions).values(**values)
        .execution_options(synchronize_session=False)).rowcount)


def _entry(question: Question, user, text: str, now: datetime, asker: bool = False) -> None:
    name, title = (user.name, "") if asker else _author(question.community_id, user)
    db.session.add(QuestionEntry(community_id=question.community_id, question_id=question.id, author_id=user.id,
                                 author_name=name, author_title=title, is_asker=asker, text=text, created_at=now))


def answer(question: Question, user, text: str, now: datetime | None = None) -> Question:
    now = now or utcnow()
    if not may_answer(user, question):
        raise Forbidden("Only staff and the assigned contact answer questions.")
    if not _set(question, Question.status != "closed", status="answered", answered_at=now):
        raise Conflict("This question is closed.", "question_closed")
    _entry(question, user, text, now)
    notify.to_asker(question, text, now)
    return _fresh(question, user, now)


def _check_asker(question: Question, user) -> None:
    if question.asker_id != user.id:
        raise Forbidden("Only the person who asked may do this.")


def follow_up(question: Question, user, text: str, now: datetime | None = None) -> Question:
    """The asker asks more: the question is open again, with a new promise (escalated again if late)."""
    now = now or utcnow()
    _check_asker(question, user)
    if not _set(question, Question.status != "closed", status="open", due_at=due_after(question.community_id, now),
                escalated_at=None):
        raise Conflict("This question is closed.", "question_closed")
    _entry(question, user, text, now, asker=True)
    notify.to_assignee(question, now, follow_up=True)
    return _fresh(question, user, now)


def _answered(question: Question) -> bool:
    return any(not entry.is_asker for entry in question.answers)


def feedback(question: Question, user, helpful: bool, close: bool = False, now: datetime | None = None) -> Question:
    now = now or utcnow()
    _check_asker(question, user)
    if not _answered(question):
        raise Conflict("There is no answer to rate yet.", "not_answered")
    closing = {"status": "closed", "closed_at": func.coalesce(Question.closed_at, now)} if close else {}
    _set(question, helpful=helpful, **closing)
    return _fresh(question, user, now)


def close(question: Question, user, now: datetime | None = None) -> Question:
    """Closing twice is closing once: the first time is kept."""
    now = now or utcnow()
    _check_asker(question, user)
    _set(question, Question.status != "closed", status="closed", closed_at=now)
    return _fresh(question, user, now)


def transfer(question: Question, user, contact_id: int, note: str = "", now: datetime | None = None) -> Question:
    now = now or utcnow()
    if not may_answer(user, question):
        raise Forbidden("Only staff and the assigned contact pass a question on.")
    contact = visible_contact(question.community_id, contact_id)
    if contact.id == question.assignee_contact_id:
        raise invalid("contact_id", "It is already assigned to this contact.")
    was = question.assignee_contact_id
    same = Question.assignee_contact_id.is_(None) if was is None else Question.assignee_contact_id == was
    if question.status == "closed":
        raise Conflict("This question is closed.", "question_closed")
    if not _set(question, Question.status != "closed", same, assignee_contact_id=contact.id):
        raise Conflict("Someone changed this question a moment ago; look again.", "question_changed")
    db.session.add(QuestionTransfer(community_id=question.community_id, question_id=question.id,
                                    from_contact_id=was, to_contact_id=contact.id, by_id=user.id, note=note,
                                    created_at=now))
    db.session.expire(question)
    notify.to_assignee(question, now)
    return _fresh(question, user, now)


def escalate_due(now: datetime | None = None, limit: int = 50) -> int:
    """The worker's job: each open question past its promise is escalated to the head once (a push)."""
    now = now or utcnow()
    late = list(db.session.scalars(select(Question).where(
        Question.status == "open", Question.due_at < now, Question.escalated_at.is_(None))
        .order_by(Question.due_at).limit(limit)))
    for question in late:
        if _set(question, Question.status == "open", Question.escalated_at.is_(None), escalated_at=now):
            notify.to_head(question, head(question.community_id), now)
        db.session.commit()
    return len(late)
