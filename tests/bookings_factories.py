"""Test data for bookings: resources written as rows, slot starts, and bookings made through the service."""
from datetime import timedelta

from backend.bookings import booking, slots
from backend.bookings.models import Resource
from backend.common.models import utcnow
from backend.extensions import db
from backend.facilities.hours import DAYS


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/bookings"


def create_resource(community, status: str = "open", **fields) -> Resource:
    values = {"kind": "room", "name": "活动室", "schedule": {day: [["08:00", "20:00"]] for day in DAYS},
              "slot_minutes": 120, "buffer_minutes": 0, "seats": 1, "max_seats_per_booking": 1,
              "advance_days": 14, "min_notice_minutes": 60, "cancel_cutoff_minutes": 120, "blackouts": [],
              "eligibility": "residents", "waitlist": True, **fields}
    resource = Resource(community_id=community.id, status=status, **values)
    db.session.add(resource)
    db.session.commit()
    return resource


def start(resource, days: int = 2, index: int = 0, now=None):
    """The start of the index-th slot `days` days from today (community time)."""
    today = slots.local_day(resource.community_id, now or utcnow())
    return slots.slot_times(resource, today + timedelta(days=days))[index][0]


def book(resource, user, days: int = 2, index: int = 0, **kwargs):
    return booking.book(resource.community_id, resource.id, user, start(resource, days, index), **kwargs)
