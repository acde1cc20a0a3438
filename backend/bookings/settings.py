"""The community's booking rules: the no-show penalty, the age of seniors, reminders."""
from backend.bookings.models import BookingSettings
from backend.extensions import db

DEFAULTS = {"no_show_limit": 0, "penalty_days": 30, "penalty": 1, "senior_age": 60, "reminders": True}


def get(community_id: int) -> dict:
    row = db.session.get(BookingSettings, community_id)
    return {key: getattr(row, key) for key in DEFAULTS} if row else dict(DEFAULTS)


def save(community_id: int, **fields) -> dict:
    row = db.session.get(BookingSettings, community_id) or BookingSettings(community_id=community_id)
    for key, value in {**get(community_id), **fields}.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.commit()
    return get(community_id)
