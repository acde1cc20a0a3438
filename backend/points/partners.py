"""Partners of the love supermarket (shops, services) and the people who act for them."""
from sqlalchemy import delete, select

from backend.accounts.models import Membership, User
from backend.errors import NotFound, invalid
from backend.extensions import db
from backend.points.models import Partner, PartnerMember

FIELDS = ("name", "category", "phone", "address", "description", "active")


def partners(community_id: int) -> list[Partner]:
    return list(db.session.scalars(select(Partner).filter_by(community_id=community_id).order_by(Partner.id)))


def get_partner(community_id: int, partner_id: int) -> Partner:
    found = db.session.scalar(select(Partner).filter_by(community_id=community_id, id=partner_id))
    if found is None:
        raise NotFound("No such partner.", "not_found")
    return found


def create(community_id: int, **fields) -> Partner:
    partner = Partner(community_id=community_id, **fields)
    db.session.add(partner)
    db.session.commit()
    return partner


def update(community_id: int, partner_id: int, **fields) -> Partner:
    partner = get_partner(community_id, partner_id)
    for name in FIELDS:
        if name in fields:
            setattr(partner, name, fields[name])
    db.session.commit()
    return partner


def add_member(community_id: int, partner_id: int, phone: str) -> Partner:
    """Link an existing member of the community, found by phone, to act for the partner."""
    partner = get_partner(community_id, partner_id)
    user = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.phone == phone, Membership.community_id == community_id).limit(1))
    if user is None:
        raise invalid("phone", "No member of this community has this phone number.", "user_not_found")
    if db.session.scalar(select(PartnerMember.id).filter_by(partner_id=partner.id, user_id=user.id)) is None:
        db.session.add(PartnerMember(community_id=community_id, partner_id=partner.id, user_id=user.id))
        db.session.commit()
    db.session.refresh(partner)
    return partner


def remove_member(community_id: int, partner_id: int, user_id: int) -> None:
    partner = get_partner(community_id, partner_id)
    gone = db.session.execute(delete(PartnerMember).filter_by(partner_id=partner.id, user_id=user_id)).rowcount
    if not gone:
        raise NotFound("This person is not a member of the partner.", "not_found")
    db.session.commit()


def mine(community_id: int, user) -> list[Partner]:
    return list(db.session.scalars(
        select(Partner).join(PartnerMember, PartnerMember.partner_id == Partner.id)
        .where(Partner.community_id == community_id, Partner.active, PartnerMember.user_id == user.id)
        .order_by(Partner.id)))
