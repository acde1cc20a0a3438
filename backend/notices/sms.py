"""Urgent notices reach residents without push by text: those addressed who have no push device at all
(many open the app inside WeChat's browser, where Web Push does not exist).

Only urgent notices with "push to phones" on are texted, once per phone, at publishing (now or when the
worker publishes a scheduled one), within the community's budget (backend/sms/budget.py); the worker sends
them (backend/sms/outbox.py). Like urgent pushes, urgent texts are not held back for quiet hours."""
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select

from backend.accounts.models import User
from backend.common.models import utcnow
from backend.extensions import db
from backend.notices.models import Notice
from backend.places.models import Community
from backend.push.models import PushSubscription
from backend.sms import budget, outbox

TEXTED = "urgent"
CHUNK = 2000
TITLE_CHARS, SUMMARY_CHARS = 30, 60


def texted(category: str, push: bool) -> bool:
    return push and category == TEXTED


def without_push(user_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(user_id, phone) of these residents who have no push device, in user order."""
    ids, found = sorted(set(user_ids)), []
    no_device = ~exists().where(PushSubscription.user_id == User.id)
    for start in range(0, len(ids), CHUNK):
        found += db.session.execute(select(User.id, User.phone).where(
            User.id.in_(ids[start:start + CHUNK]), User.active, no_device).order_by(User.id)).all()
    return [(user_id, phone) for user_id, phone in found]


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def text_notice(notice: Notice, user_ids: Sequence[int], now: datetime) -> dict:
    """Queue the notice's text for the addressed residents without push (in the publisher's transaction)."""
    if not texted(notice.category, notice.push):
        return {"queued": 0, "over_budget": 0}
    community = db.session.get(Community, notice.community_id)
    params = {"community": _short(community.name, 20), "title": _short(notice.title, TITLE_CHARS),
              "summary": _short(notice.summary, SUMMARY_CHARS)}
    return outbox.queue(community, notice.source, "notice", without_push(user_ids), params, now)


def reach(community_id: int, user_ids: Sequence[int], category: str, push: bool) -> dict:
    """Before publishing: how many texts it would send, and how many phones the budget leaves out."""
    if not texted(category, push) or not user_ids:
        return {"sms": 0, "sms_over_budget": 0}
    phones = len({phone for _, phone in without_push(user_ids)})
    allowed = budget.allowance(db.session.get(Community, community_id), utcnow())
    return {"sms": min(phones, allowed), "sms_over_budget": max(0, phones - allowed)}


def stats(notice: Notice) -> dict:
    """Texts of this notice: sent, failed, left out by the budget, and still waiting to go."""
    by_status = outbox.counts(notice.source)
    return {"sms_sent": by_status.get("sent", 0), "sms_failed": by_status.get("failed", 0),
            "sms_over_budget": by_status.get("over_budget", 0),
            "sms_pending": by_status.get("pending", 0) + by_status.get("sending", 0)}


def cancel(notice: Notice) -> int:
    return outbox.cancel(notice.source)
