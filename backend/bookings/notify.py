"""Pushes to the household that booked: promoted from the waitlist, approved or refused, cancelled by staff,
the reminders the day and the hour before, a booking released as a no-show. In the caller's transaction."""
from datetime import datetime

from backend.bookings.slots import zone
from backend.extensions import db
from backend.places.models import Community
from backend.push import services as push

CATEGORY = "booking"  # residents' push preference for bookings; quiet hours apply
TTL = 24 * 3600


def _when(booking) -> str:
    return booking.starts_at.astimezone(zone(booking.community_id)).strftime("%m-%d %H:%M")


def send(booking, title: str, body: str, now: datetime, kind: str) -> int:
    payload = {"title": title, "body": body[:80], "url": "/bookings/mine", "booking_id": booking.id,
               "community_id": booking.community_id, "category": CATEGORY, "tag": f"booking-{booking.id}"}
    community = db.session.get(Community, booking.community_id)
    return push.enqueue(community, [booking.user_id], payload, f"booking:{booking.id}",
                        f"booking-{kind}-{booking.id}", CATEGORY, TTL, now)


def promoted(booking, now: datetime) -> int:
    return send(booking, "候补成功", f"有空位了，已为您预约：{booking.resource.name} {_when(booking)}", now, "promoted")


def approved(booking, now: datetime) -> int:
    return send(booking, "预约已通过", f"{booking.resource.name} {_when(booking)}", now, "approved")


def refused(booking, now: datetime) -> int:
    reason = f"（{booking.reason}）" if booking.reason else ""
    return send(booking, "预约未通过", f"{booking.resource.name} {_when(booking)}{reason}", now, "refused")


def cancelled(booking, now: datetime) -> int:
    """Staff cancelled the booking (a resident who cancels knows it already)."""
    reason = f"（{booking.reason}）" if booking.reason else ""
    return send(booking, "预约已被取消", f"{booking.resource.name} {_when(booking)}{reason}", now, "cancelled")


def reminder(booking, hour: bool, now: datetime) -> int:
    title = "预约即将开始" if hour else "明日预约提醒"
    return send(booking, title, f"{_when(booking)} {booking.resource.name}", now, "hour" if hour else "day")


def no_show(booking, now: datetime) -> int:
    return send(booking, "预约已释放", f"{booking.resource.name} {_when(booking)} 未签到，座位已让给他人", now,
                "no-show")
