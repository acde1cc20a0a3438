"""Registration, sessions, profiles, residency verification and household invites."""
import functools
import secrets
from datetime import timedelta

from blinker import Namespace
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from backend.accounts.models import InviteCode, Membership, Residency, User
from backend.accounts.passwords import refuse_weak_password
from backend.common.db import fetch
from backend.common.fields import normalize_phone
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.errors import Conflict, DomainError, invalid
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, DwellingOwner, Grid
from backend.places.services import get_community, get_in_community
from backend.security import read_user_row

INVITE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by the elderly


# Sent inside the transaction that took a verified home away (rejected after verifying: moved out, or a
# mistake); each domain that gave access because of that home takes it back before the commit.
residency_revoked = Namespace().signal("residency-revoked")
# Sent inside the transaction that verified a home, once the change is flushed: each domain that gives
# a verified resident something from before their arrival (the current notices) gives it there.
residency_verified = Namespace().signal("residency-verified")


class WrongCredentials(DomainError):
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def _stand_in_hash(method: str) -> str:
    return generate_password_hash("not-a-password", method=method)


def _dummy_hash() -> str:
    """What an unknown phone's password is checked against: made like real ones, so it takes as long."""
    return _stand_in_hash(current_app.config["PASSWORD_HASH_METHOD"])




def _user_by_phone(phone: str) -> User | None:
    return db.session.scalar(select(User).filter_by(phone=phone))


def ensure_membership(user: User, community_id: int, role: str, title: str = "") -> Membership:
    for membership in user.memberships:
        if membership.community_id == community_id and membership.role == role:
            membership.title = title or membership.title
            return membership
    membership = Membership(user=user, community_id=community_id, role=role, title=title)
    db.session.add(membership)
    return membership


def _verify(residency: Residency, by: User | None) -> None:
    residency.status, residency.reject_reason = "verified", ""
    residency.verified_by_id, residency.verified_at = by.id if by else None, utcnow()


def _phone_taken() -> Conflict:
    return Conflict("This phone number is already registered.", "phone_taken", {"phone": ["Already registered."]})


def register(phone, password, name, community_id, invite_code=None, dwelling_id=None, relation=None) -> User:
    get_community(community_id)
    if _user_by_phone(phone):
        raise _phone_taken()
    user = User(phone=phone, password_hash=hash_password(password), name=name)
    db.session.add(user)
    residency = _settle(user, community_id, invite_code, dwelling_id, relation)
    try:
        _announce_if_verified(residency)
        db.session.commit()
    except IntegrityError as err:
        # Two sign-ups with one phone raced; the unique index let only one through.
        db.session.rollback()
        raise _phone_taken() from err
    start_session(user)
    return user


def _settle(user: User, community_id: int, invite_code=None, dwelling_id=None, relation=None) -> Residency:
    """Make the user a resident of the community, living where the invite or the claim says."""
    ensure_membership(user, community_id, "resident")
    if invite_code:
        return _join_by_invite(user, community_id, invite_code.upper())
    return _claim_dwelling(user, get_in_community(Dwelling, community_id, dwelling_id, "dwelling_id"), relation)


def _announce_if_verified(residency: Residency) -> None:
    """Flushed first, so that a duplicate fails here (the caller's IntegrityError) and listeners can query it."""
    db.session.flush()
    if residency.status == "verified":
        residency_verified.send(residency, community_id=residency.community_id, user_id=residency.user_id)


def add_residency(user: User, community_id: int, invite_code=None, dwelling_id=None, relation=None) -> User:
    """Another home for a user who already has an account (an owner of two flats, a move)."""
    get_community(community_id)
    residency = _settle(user, community_id, invite_code, dwelling_id, relation)
    try:
        _announce_if_verified(residency)
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict("You are already registered in this dwelling.", "residency_exists") from err
    return user


def _join_by_invite(user: User, community_id: int, code: str) -> Residency:
    # One conditional update spends a use, so a code can never be used more often than allowed.
    spent = db.session.execute(
        update(InviteCode)
        .where(InviteCode.code == code, InviteCode.community_id == community_id,
               InviteCode.revoked_at.is_(None), InviteCode.expires_at > utcnow(),
               InviteCode.uses < InviteCode.max_uses)
        .values(uses=InviteCode.uses + 1)
        .execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        raise invalid("invite_code", "This invite code is wrong, used up, expired or revoked.", "invite_invalid")
    invite = db.session.scalar(select(InviteCode).filter_by(code=code))
    inviter = db.session.get(User, invite.created_by_id)
    residency = _new_claim(user, community_id, invite.dwelling_id, invite.relation)
    _verify(residency, inviter)
    return residency


def _is_registered_owner(phone: str, dwelling_id: int) -> bool:
    return db.session.get(DwellingOwner, (dwelling_id, phone)) is not None


def _new_claim(user: User, community_id: int, dwelling_id: int, relation: str) -> Residency:
    """A new claim, or a turned-down one for the same home asked again (it goes back to the queue)."""
    residency = next((r for r in user.residencies if r.dwelling_id == dwelling_id and r.status == "rejected"), None)
    if residency is None:
        residency = Residency(user=user, community_id=community_id, dwelling_id=dwelling_id)
        db.session.add(residency)
    residency.relation, residency.status, residency.reject_reason = relation, "pending", ""
    residency.verified_by_id = residency.verified_at = None
    return residency


def _claim_dwelling(user: User, dwelling: Dwelling, relation: str) -> Residency:
    registered = relation == "owner" and _is_registered_owner(user.phone, dwelling.id)
    residency = _new_claim(user, dwelling.community_id, dwelling.id, relation)
    if registered:
        _verify(residency, None)  # the housing register already says so
    return residency


def confirm_owner_claims(community_id: int) -> int:
    """After an import, verify the owners' own pending claims that the register now confirms.

    The register never enrols anyone: a phone in it is linked only when its holder asks to live there.
    """
    claims = db.session.scalars(
        select(Residency).join(User, User.id == Residency.user_id)
        .join(DwellingOwner, (DwellingOwner.dwelling_id == Residency.dwelling_id) & (DwellingOwner.phone == User.phone))
        .where(Residency.community_id == community_id, Residency.status == "pending",
               Residency.relation == "owner"))
    return sum(_move(claim, ("pending",), "verified", None) for claim in list(claims))


def start_session(user: User) -> None:
    session.clear()  # a fresh session on every login
    session.permanent = True
    # current_user is a proxy; Flask-Login must keep the user itself.
    login_user(getattr(user, "_get_current_object", lambda: user)())
    read_user_row(user.id)


def login(phone: str, password: str) -> User:
    user = _user_by_phone(normalize_phone(phone) or "")
    # Hash even when the phone is unknown, so both failures take as long and say the same.
    ok = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if not (user and ok and user.active):
        raise WrongCredentials("Wrong phone number or password.", "invalid_credentials")
    start_session(user)
    return user


def end_all_sessions(user: User) -> None:
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))


def logout(user: User) -> None:
    end_all_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()


def profile(user: User) -> User:
    """The user with the roles and homes MeSchema shows, read up front in two statements (their communities
    and dwellings joined in), however many there are: serialising it then reads nothing more."""
    memberships, residencies = _profile_queries()
    set_committed_value(user, "memberships", list(db.session.scalars(memberships, {"user_id": user.id})))
    set_committed_value(user, "residencies", list(db.session.scalars(residencies, {"user_id": user.id})))
    return user


@functools.cache
def _profile_queries():
    # Built once: on every app start-up this runs for each open app, and building a statement costs
    # about what running it does.
    return (select(Membership).where(Membership.user_id == bindparam("user_id")).order_by(Membership.id),
            select(Residency).where(Residency.user_id == bindparam("user_id")).order_by(Residency.id))


@functools.cache
def _me_queries():
    """The roles and homes /auth/me shows, with their communities and dwellings joined in, as plain rows."""
    memberships = (select(Community.id, Community.name, Community.timezone, Membership.role, Membership.title)
                   .join(Community, Community.id == Membership.community_id)
                   .where(Membership.user_id == bindparam("user_id")).order_by(Membership.id))
    residencies = (select(Residency.id, Residency.community_id, Residency.relation, Residency.status,
                          Residency.reject_reason, Residency.created_at, Residency.verified_at, Dwelling.id,
                          Dwelling.label, Dwelling.unit, Dwelling.room, Building.id, Building.name, Grid.id, Grid.name)
                   .join(Dwelling, Dwelling.id == Residency.dwelling_id)
                   .join(Building, Building.id == Dwelling.building_id).outerjoin(Grid, Grid.id == Building.grid_id)
                   .where(Residency.user_id == bindparam("user_id")).order_by(Residency.id))
    return memberships, residencies


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def me(user: User) -> dict:
    """What /auth/me shows, as MeSchema dumps it (a test holds the two equal), from two statements of plain rows:
    every app asks for it when it opens, and objects and marshmallow cost more than the reading."""
    memberships, residencies = _me_queries()
    return {"id": user.id, "phone": user.phone, "name": user.name, "locale": user.locale, "care_mode": user.care_mode,
            "birth_year": user.birth_year, "is_admin": user.is_admin,
            "memberships": [{"community": {"id": cid, "name": name, "timezone": tz}, "role": role, "title": title}
                            for cid, name, tz, role, title in fetch(memberships, {"user_id": user.id})],
            "residencies": [{"id": rid, "community_id": cid, "relation": relation, "status": status,
                             "reject_reason": reason, "created_at": _iso(created), "verified_at": _iso(verified),
                             "dwelling": {"id": did, "label": label, "unit": unit, "room": room,
                                          "building": {"id": bid, "name": building},
                                          "grid": {"id": gid, "name": grid} if gid is not None else None}}
                            for rid, cid, relation, status, reason, created, verified, did, label, unit, room, bid,
                            building, gid, grid in fetch(residencies, {"user_id": user.id})]}


def update_profile(user: User, **fields) -> User:
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise invalid("current_password", "The current password is wrong.")
    refuse_weak_password(new_password, "new_password", user.phone, user.name)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    start_session(user)  # this device stays logged in; every other one is logged out


def list_residencies(community_id: int, status: str, q: str = "", page: int = 1, per_page: int = 50,
                     after: int | None = None) -> dict:
    """A page of the community's residencies: the queue oldest first, decided ones newest first."""
    stmt = (select(Residency).join(User, User.id == Residency.user_id)
            .join(Dwelling, Dwelling.id == Residency.dwelling_id)
            .options(contains_eager(Residency.user).lazyload(User.memberships))
            .where(Residency.community_id == community_id, Residency.status == status))
    if q:
        stmt = stmt.where(User.name.contains(q, autoescape=True) | User.phone.contains(q, autoescape=True)
                          | Dwelling.label.contains(q, autoescape=True))
    if status == "pending":
        return paginate(stmt.order_by(Residency.id), page, per_page, after and Residency.id > after)
    return paginate(stmt.order_by(Residency.id.desc()), page, per_page, after and Residency.id < after)


def _move(residency: Residency, start: tuple[str, ...], to: str, by: User | None, reason: str = "") -> bool:
    """Change the status only from a state it is still in, in one statement: concurrent decisions cannot
    both win. Revoking a verified home takes back, in the same transaction, everything it gave."""
    was = residency.status if residency.status in start else start[0]
    moved = db.session.execute(
        update(Residency).where(Residency.id == residency.id, Residency.status == was)
        .values(status=to, reject_reason=reason, verified_by_id=by.id if by else None, verified_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    if not moved and len(start) > 1:  # it moved on meanwhile to another state we may start from
        return _move(residency, tuple(s for s in start if s != was), to, by, reason)
    if moved and was == "verified":
        residency_revoked.send(residency, community_id=residency.community_id, user_id=residency.user_id)
    if moved and to == "verified":
        residency_verified.send(residency, community_id=residency.community_id, user_id=residency.user_id)
    return moved


def decide_residency(residency: Residency, staff: User, reason: str | None = None) -> Residency:
    """Verify (a pending claim) or reject (a pending claim, or a verified home: the person moved out).

    Repeating the decision that stands is harmless; contradicting one made meanwhile is a 409."""
    to, start = ("verified", ("pending",)) if reason is None else ("rejected", ("pending", "verified"))
    moved = _move(residency, start, to, staff, reason or "")
    db.session.refresh(residency)
    if not moved and residency.status != to:
        raise Conflict("This claim has just been decided otherwise; reload to see it.", "residency_decided")
    # The answer shows the state this decision left, not one another decision made a moment later.
    residency.user  # noqa: B018  (loaded for the answer)
    db.session.expunge(residency)
    db.session.commit()
    return residency


def list_invites(community_id: int, page: int = 1, per_page: int = 50) -> dict:
    stmt = select(InviteCode).filter_by(community_id=community_id).order_by(InviteCode.id.desc())
    return paginate(stmt, page, per_page)


def create_invite(community_id: int, staff: User, dwelling_id: int, relation: str,
                  expires_in_days: int, max_uses: int) -> InviteCode:
    dwelling = get_in_community(Dwelling, community_id, dwelling_id, "dwelling_id")
    invite = InviteCode(community_id=community_id, dwelling=dwelling, relation=relation,
                        code="".join(secrets.choice(INVITE_ALPHABET) for _ in range(8)),
                        expires_at=utcnow() + timedelta(days=expires_in_days),
                        max_uses=max_uses, created_by_id=staff.id)
    db.session.add(invite)
    db.session.commit()
    return invite


def revoke_invite(invite: InviteCode) -> None:
    invite.revoked_at = invite.revoked_at or utcnow()
    db.session.commit()


def appoint_staff(community_id: int, phone: str, title: str, name: str | None = None,
                  password: str | None = None) -> User:
    get_community(community_id)
    user = _user_by_phone(phone)
    if user is None:
        if not (name and password):
            raise invalid("name", "A new staff member needs a name and a password.")
        user = User(phone=phone, name=name, password_hash=hash_password(password))
        db.session.add(user)
    ensure_membership(user, community_id, "staff", title)
    db.session.commit()
    return user


def set_user_active(user: User, active: bool) -> User:
    user.active = active
    if not active:
        end_all_sessions(user)
    db.session.commit()
    return user
