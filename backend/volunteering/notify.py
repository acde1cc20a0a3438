"""Pushes to volunteers: promoted from the waitlist, an activity cancelled, tomorrow's reminder."""
from datetime import datetime

from backend.extensions import db
from backend.places.models import Community
from backend.push import services as push

CATEGORY = "activity"  # residents' push preference for activities; quiet hours apply
TTL = 2 * 24 * 3600


def send(activity, user_ids: list[int], title: str, body: str, now: datetime, kind: str) -> int:
    if not user_ids:
        return 0
    payload = {"title": title, "body": body[:80], "url": f"/volunteer/activities/{activity.id}",
               "activity_id": activity.id, "community_id": activity.community_id, "category": CATEGORY,
               "tag": f"volunteer-activity-{activity.id}"}
    community = db.session.get(Community, activity.community_id)
    return push.enqueue(community, user_ids, payload, f"volunteer_activity:{activity.id}",
                        f"volunteer-{kind}-{activity.id}", CATEGORY, TTL, now)


def promoted(activity, user_id: int, now: datetime) -> int:
    return send(activity, [user_id], "候补转正", f"您已从候补转为正式报名：{activity.title}", now, "promoted")


def cancelled(activity, user_ids: list[int], now: datetime) -> int:
    reason = f"（{activity.cancel_reason}）" if activity.cancel_reason else ""
    return send(activity, user_ids, "活动取消", f"{activity.title} 已取消{reason}", now, "cancelled")


def reminder(activity, user_ids: list[int], when: str, now: datetime) -> int:
    return send(activity, user_ids, "明日志愿活动提醒", f"{when} {activity.title}", now, "reminder")
