"""Pushes about questions: to the assignee when one arrives, to the asker when answered, to the head when late."""
from datetime import datetime

from backend.consult.models import TOPICS, Question
from backend.extensions import db
from backend.places.models import Community
from backend.push import services as push

CATEGORY = "service"  # a push preference residents already have; quiet hours apply
TTL = 3 * 24 * 3600


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _send(question: Question, user_id: int | None, title: str, body: str, now: datetime) -> int:
    if user_id is None:
        return 0
    payload = {"title": title, "body": _short(body), "url": f"/questions/{question.id}?cid={question.community_id}",
               "question_id": question.id, "community_id": question.community_id, "category": CATEGORY,
               "tag": f"question-{question.id}"}
    community = db.session.get(Community, question.community_id)
    return push.enqueue(community, [user_id], payload, question.source, f"question-{question.id}", CATEGORY,
                        TTL, now)


def to_assignee(question: Question, now: datetime, follow_up: bool = False) -> int:
    contact = question.assignee
    if contact is None or contact.user_id == question.asker_id:
        return 0
    title = ("【追问】" if follow_up else "【新咨询】") + TOPICS[question.topic][0]
    return _send(question, contact.user_id, title, question.text, now)


def to_asker(question: Question, answer: str, now: datetime) -> int:
    return _send(question, question.asker_id, "您的咨询有了回复", answer, now)


def to_head(question: Question, head, now: datetime) -> int:
    title = "【超时未答】" + TOPICS[question.topic][0]
    return _send(question, head.user_id if head else None, title, question.text, now)
