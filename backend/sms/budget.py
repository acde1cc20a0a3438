"""What a community may spend on notice texts: a cap per notice and a budget per calendar month.

The month is the community's own (Asia/Shanghai by default). A text counts against the budget from when it
is queued until it fails or is cancelled: providers charge for what they accept, not for what they refuse."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from backend.common.db import upsert
from backend.common.models import utcnow
from backend.errors import invalid
from backend.extensions import db
from backend.places.models import Community
from backend.sms.models import SmsBudget, SmsMessage

SPENDING = ("pending", "sending", "sent")
PURPOSE = "notice"


def month_start(community: Community, now: datetime) -> datetime:
    """The first moment of `now`'s month in the community's time, in UTC."""
    local = now.astimezone(ZoneInfo(community.timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def used(community: Community, now: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(SmsMessage)
        .where(SmsMessage.community_id == community.id, SmsMessage.purpose == PURPOSE,
               SmsMessage.status.in_(SPENDING), SmsMessage.created_at >= month_start(community, now))) or 0


def limits(community_id: int) -> tuple[int, int, bool]:
    """(monthly budget, per-notice cap, whether the community set them itself)."""
    own = db.session.get(SmsBudget, community_id)
    if own is not None:
        return own.monthly, own.per_notice, True
    config = current_app.config
    return config["SMS_MONTHLY_BUDGET"], config["SMS_NOTICE_CAP"], False


def allowance(community: Community, now: datetime, queued: int = 0) -> int:
    """How many texts one notice may queue now: the cap (less the `queued` it has), or what is left of the
    month, if less."""
    monthly, per_notice, _ = limits(community.id)
    return max(0, min(per_notice - queued, monthly - used(community, now)))


def summary(community_id: int, now: datetime | None = None) -> dict:
    community = db.session.get(Community, community_id)
    now = now or utcnow()
    monthly, per_notice, own = limits(community_id)
    spent = used(community, now)
    return {"monthly": monthly, "per_notice": per_notice, "custom": own, "used": spent,
            "remaining": max(0, monthly - spent), "month": month_start(community, now).astimezone(
                ZoneInfo(community.timezone)).strftime("%Y-%m"), "max": current_app.config["SMS_BUDGET_MAX"]}


def save(community_id: int, user, monthly: int, per_notice: int) -> dict:
    """Set the community's own limits (up to SMS_BUDGET_MAX, which the deployment sets)."""
    ceiling = current_app.config["SMS_BUDGET_MAX"]
    if monthly > ceiling:
        raise invalid("monthly", f"At most {ceiling} a month in this deployment.")
    if per_notice > monthly:
        raise invalid("per_notice", "Cannot be more than the monthly budget.")
    values = {"monthly": monthly, "per_notice": per_notice, "updated_by": user.id, "updated_at": utcnow()}
    # One statement: two staff saving at once both succeed, the later one's figures stand.
    stmt = upsert(SmsBudget).values(community_id=community_id, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["community_id"], set_=values))
    db.session.commit()
    return summary(community_id)
