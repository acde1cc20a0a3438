"""Calendar months and years in the community's own time zone, as UTC instants for queries."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import Community


def zone(community_id: int) -> ZoneInfo:
    community = db.session.get(Community, community_id)
    return ZoneInfo(community.timezone if community else "Asia/Shanghai")


def local_now(community_id: int, now: datetime | None = None, tz: ZoneInfo | None = None) -> datetime:
    return (now or utcnow()).astimezone(tz or zone(community_id))


def month_start(community_id: int, now: datetime | None = None, tz: ZoneInfo | None = None) -> datetime:
    """The first instant of this calendar month, local time (`tz`: the community's zone, if known)."""
    local = local_now(community_id, now, tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def year_start(community_id: int, year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=zone(community_id))


def year_range(community_id: int, year: int) -> tuple[datetime, datetime]:
    return year_start(community_id, year), year_start(community_id, year + 1)


def year_end_date(year: int) -> date:
    return date(year, 12, 31)
