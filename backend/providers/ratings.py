"""Residents rate a provider after using it: one rating per household per provider per calendar month (the
unique constraint decides a race), staff hide abusive ones. The provider's rating_sum and rating_count count
the visible ratings and change in the same transaction, by relative UPDATEs."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend.accounts.models import Residency, User
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.errors import Conflict, Forbidden, NotFound, invalid
from backend.extensions import db
from backend.places.models import Dwelling
from backend.places.services import get_community
from backend.providers.models import Provider, ProviderRating
from backend.providers.services import get_provider
from backend.volunteering.hours import mask_name


def _month(community_id: int, now: datetime | None = None) -> str:
    tz = ZoneInfo(get_community(community_id).timezone)
    return (now or utcnow()).astimezone(tz).strftime("%Y-%m")


def _household(community_id: int, user, dwelling_id: int | None) -> int:
    """Which verified home rates: the only one, or the one named."""
    homes = list(db.session.scalars(select(Residency.dwelling_id).filter_by(
        community_id=community_id, user_id=user.id, status="verified").order_by(Residency.id)))
    if not homes:
        raise Forbidden("Only verified residents of this community may rate.", "not_verified")
    if dwelling_id is None and len(set(homes)) > 1:
        raise invalid("dwelling_id", "Choose which home this rating is for.")
    dwelling_id = homes[0] if dwelling_id is None else dwelling_id
    if dwelling_id not in homes:
        raise invalid("dwelling_id", "Not a verified home of yours in this community.")
    return dwelling_id


def _count(provider_id: int, stars: int, count: int) -> None:
    db.session.execute(update(Provider).where(Provider.id == provider_id).values(
        rating_sum=Provider.rating_sum + stars, rating_count=Provider.rating_count + count)
        .execution_options(synchronize_session=False))


def _present(ratings: list[ProviderRating], viewer, staff: bool) -> list[ProviderRating]:
    """Names (masked for residents), the home for staff, the hiding reason for staff and the author."""
    users = {r.user_id for r in ratings}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(users))).all()) if users else {}
    labels = {}
    if staff and ratings:
        labels = dict(db.session.execute(select(Dwelling.id, Dwelling.label).where(
            Dwelling.id.in_({r.dwelling_id for r in ratings}))).all())
    for r in ratings:
        name = names.get(r.user_id, "")
        r.mine = r.user_id == viewer.id
        r.author = {"id": r.user_id, "name": name if staff or r.mine else mask_name(name)}
        r.home = {"id": r.dwelling_id, "label": labels.get(r.dwelling_id, "")} if staff else None
        r.reason_shown = r.hidden_reason if staff or r.mine else ""
    return ratings


def list_ratings(community_id: int, provider_id: int, viewer, staff: bool, page: int = 1,
                 per_page: int = 50) -> dict:
    """Newest first; residents see the visible ones and their own hidden ones (marked hidden)."""
    get_provider(community_id, provider_id, staff)
    stmt = (select(ProviderRating).filter_by(community_id=community_id, provider_id=provider_id)
            .order_by(ProviderRating.created_at.desc(), ProviderRating.id.desc()))
    if not staff:
        stmt = stmt.where(ProviderRating.hidden.is_(False) | (ProviderRating.user_id == viewer.id))
    result = paginate(stmt, page, per_page)
    _present(result["items"], viewer, staff)
    return result


def rate(community_id: int, provider_id: int, user, stars: int, text: str = "", dwelling_id: int | None = None,
         now: datetime | None = None) -> ProviderRating:
    provider = get_provider(community_id, provider_id, staff=False)
    dwelling_id = _household(community_id, user, dwelling_id)
    month = _month(community_id, now)
    already = Conflict("Your household has rated this provider this month; you may change that rating.",
                       "already_rated")
    if db.session.scalar(select(ProviderRating.id).filter_by(provider_id=provider.id, dwelling_id=dwelling_id,
                                                             month=month)):
        raise already
    rating = ProviderRating(community_id=community_id, provider_id=provider.id, dwelling_id=dwelling_id,
                            user_id=user.id, month=month, stars=stars, text=text, hidden=False)
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:
        # Another member of the household rated at the same moment; the unique constraint kept one.
        raise already from None
    _count(provider.id, stars, 1)
    db.session.commit()
    return _present([rating], user, False)[0]


def edit_mine(community_id: int, provider_id: int, user, stars: int, text: str = "",
              dwelling_id: int | None = None, now: datetime | None = None) -> ProviderRating:
    """Change this month's rating of my household (the editor becomes its author)."""
    provider = get_provider(community_id, provider_id, staff=False)
    dwelling_id = _household(community_id, user, dwelling_id)
    rating = db.session.scalar(select(ProviderRating).filter_by(
        provider_id=provider.id, dwelling_id=dwelling_id, month=_month(community_id, now)).with_for_update())
    if rating is None:
        raise NotFound("Your household has not rated this provider this month.", "no_rating")
    if not rating.hidden:
        _count(provider.id, stars - rating.stars, 0)
    rating.stars, rating.text, rating.user_id = stars, text, user.id
    db.session.commit()
    return _present([rating], user, False)[0]


def _rating(community_id: int, rating_id: int) -> ProviderRating:
    """The rating, its row locked: its stars and flag are then read as they stand."""
    rating = db.session.scalar(select(ProviderRating).filter_by(id=rating_id, community_id=community_id)
                               .with_for_update())
    if rating is None:
        raise NotFound("No such rating.")
    return rating


def set_hidden(community_id: int, rating_id: int, staff, hidden: bool, reason: str = "") -> ProviderRating:
    """Hide (with the reason) or show again; the counts move only when the flag flips."""
    rating = _rating(community_id, rating_id)
    if rating.hidden != hidden:
        _count(rating.provider_id, -rating.stars if hidden else rating.stars, -1 if hidden else 1)
    rating.hidden = hidden
    rating.hidden_reason, rating.hidden_by_id = (reason, staff.id) if hidden else ("", None)
    db.session.commit()
    return _present([rating], staff, True)[0]
