"""Test data for the staff directory: profiles written through the services, rosters, moments in local time."""
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from backend.contacts import roster, services
from tests.voting_factories import jpeg


def at(local: str, tz: str = "Asia/Shanghai") -> datetime:
    """A moment given in a community's local time ("2026-12-05 10:00")."""
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(tz))


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def create_contact(community, name: str = "王芳", position: str = "grid_worker", grids=(), by=None, **fields):
    return services.create_contact(community.id, by, name=name, position=position,
                                   grid_ids=[g.id for g in grids], **fields)


def set_roster(contact, community, week=(), exceptions=(), now: datetime | None = None):
    """week: (weekday, "08:30", "12:00"); exceptions: ("2026-12-05", "09:00", "12:00", note) or ("2026-12-07", None)."""
    spans = [{"weekday": d, "start": minutes(s), "end": minutes(e)} for d, s, e in week]
    rows = []
    for day, *hours in exceptions:
        off = hours[0] is None
        rows.append({"date": date.fromisoformat(day), "off": off, "start": None if off else minutes(hours[0]),
                     "end": None if off else minutes(hours[1]), "note": hours[2] if len(hours) > 2 else ""})
    return roster.replace_roster(contact, community.timezone, spans, rows, now=now or at("2026-11-30 08:00"))


def upload_photo(client, community, purpose: str = "contact_photo"):
    return client.post(f"/api/v1/communities/{community.id}/files",
                       data={"purpose": purpose, "file": (io.BytesIO(jpeg()), "me.jpg")})
