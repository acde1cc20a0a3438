"""A community's points settings: yearly expiry on or off, and how long a redemption waits for pickup."""
from sqlalchemy import select

from backend.extensions import db
from backend.points.models import PointsSettings

DEFAULTS = {"expiry": "none", "pickup_days": 14}


def _row(community_id: int) -> PointsSettings | None:
    return db.session.scalar(select(PointsSettings).filter_by(community_id=community_id))


def get_settings(community_id: int) -> dict:
    row = _row(community_id)
    return {"expiry": row.expiry, "pickup_days": row.pickup_days} if row else dict(DEFAULTS)


def save_settings(community_id: int, expiry: str, pickup_days: int) -> dict:
    row = _row(community_id) or PointsSettings(community_id=community_id)
    row.expiry, row.pickup_days = expiry, pickup_days
    db.session.add(row)
    db.session.commit()
    return get_settings(community_id)
