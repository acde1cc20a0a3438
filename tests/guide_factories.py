"""Test data for the guide, facilities and search: small helpers that write real rows through the services."""
import itertools

from backend.facilities import services as facility_services
from backend.facilities.models import FacilityType
from backend.guide import services as guide_services
from backend.guide.models import GuideCategory
from backend.places.models import Community
from backend.search import synonyms

_n = itertools.count(1)
OFFICE_HOURS = {d: [["09:00", "12:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def create_category(community: Community, name: str | None = None, icon: str = "description") -> GuideCategory:
    return guide_services.save_category(community.id, name or f"分类{next(_n)}", icon)


def create_item(community: Community, title: str | None = None, category: GuideCategory | None = None,
                published: bool = True, **fields):
    category = category or create_category(community)
    fields = {"summary": "", "audience": "", "materials": [], "steps": [], "office": "", "office_hours": "",
              "fee": "", "time_limit_days": None, "legal_basis": "", "mode": "in_person", "online_url": "",
              "phone": "", "tags": [], "aliases": [], "no_longer_issued": False, "instead": "",
              "facility_id": None, "contact_user_id": None, **fields}
    return guide_services.save_item(community.id, category_id=category.id, title=title or f"事项{next(_n)}",
                                    published=published, **fields)


def create_type(community: Community, name: str | None = None, position: int = 0) -> FacilityType:
    return facility_services.save_type(community.id, name or f"类型{next(_n)}", "location-o", position)


def create_facility(community: Community, name: str | None = None, ftype: FacilityType | None = None,
                    lat: float = 22.54, lng: float = 113.94, hours: dict | None = None,
                    exceptions: list | None = None, **fields):
    ftype = ftype or create_type(community)
    full_hours = {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    full_hours.update(OFFICE_HOURS if hours is None else hours)
    fields = {"address": "", "phone": "", "description": "", "accessibility": [], "photos": [],
              "staff_user_id": None, **fields}
    return facility_services.save_facility(community.id, type_id=ftype.id, name=name or f"设施{next(_n)}",
                                           latitude=lat, longitude=lng, hours=full_hours,
                                           exceptions=exceptions or [], **fields)


def create_synonyms(community: Community, *terms: str):
    return synonyms.save_synonyms(community.id, list(terms))


def count(model, **filters) -> int:
    from sqlalchemy import func, select

    from backend.extensions import db
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def rows(model) -> list:
    from sqlalchemy import select

    from backend.extensions import db
    db.session.expire_all()
    return list(db.session.scalars(select(model).order_by(model.id)))
