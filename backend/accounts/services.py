"""Registration, sessions, profiles, residency verification and household invites."""
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from backend.accounts.models import InviteCode, Membership, Residency, User
from backend.common.fields import normalize_phone
from backend.common.models import utcnow
from backend.errors import Conflict, DomainError, invalid
from backend.extensions import db
from backend.places.models import Dwelling, DwellingOwner
from backend.places.services import get_community, get_in_community

INVITE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by the elderly
_DUMMY_HASH = generate_password_hash("not-a-password", method="pbkdf2:sha256:1000")


class WrongCredentials(DomainError):
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


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
    _settle(user, community_id, invite_code, dwelling_id, relation)
    try:
        db.session.commit()
    except IntegrityError as err:
        # Two sign-ups with one phone raced; the unique index let only one through.
        db.session.rollback()
        raise _phone_taken() from err
    start_session(user)
    return user


def _settle(user: User, community_id: int, invite_code=None, dwelling_id=None, relation=None) -> None:
    """Make the user a resident of the community, living where the invite or the claim says."""
    ensure_membership(user, community_id, "resident")
    if invite_code:
        _join_by_invite(user, community_id, invite_code.upper())
    else:
        _claim_dwelling(user, get_in_community(Dwelling, community_id, dwelling_id, "dwelling_id"), relation)


def add_residency(user: User, community_id: int, invite_code=None, dwelling_id=None, relation=None) -> User:
    """Another home for a user who already has an account (an owner of two flats, a move)."""
    get_community(community_id)
    _settle(user, community_id, invite_code, dwelling_id, relation)
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict("You are already registered in this dwelling.", "residency_exists") from err
    return user


def _join_by_invite(user: User, community_id: int, code: str) -> None:
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
    residency = Residency(user=user, community_id=community_id, dwelling_id=invite.dwelling_id,
                          relation=invite.relation)
    _verify(residency, inviter)
    db.session.add(residency)


def _is_registered_owner(phone: str, dwelling_id: int) -> bool:
    return db.session.get(DwellingOwner, (dwelling_id, phone)) is not None


def _claim_dwelling(user: User, dwelling: Dwelling, relation: str) -> Residency:
    registered = relation == "owner" and _is_registered_owner(user.phone, dwelling.id)
    residency = Residency(user=user, community_id=dwelling.community_id, dwelling=dwelling, relation=relation)
    db.session.add(residency)
    if registered:
        _verify(residency, None)  # the housing register already says so
    return residency


def verify_registered_owners(user: User, community_id: int) -> None:
    """After an import, link a known user to the dwellings the register says they own."""
    owned = db.session.scalars(select(DwellingOwner.dwelling_id).filter_by(
        community_id=community_id, phone=user.phone))
    mine = {r.dwelling_id: r for r in user.residencies}
    for dwelling_id in owned:
        residency = mine.get(dwelling_id) or Residency(
            user=user, community_id=community_id, dwelling_id=dwelling_id, relation="owner")
        if residency.status != "verified" and residency.relation == "owner":
            _verify(residency, None)
            db.session.add(residency)
            ensure_membership(user, community_id, "resident")


def start_session(user: User) -> None:
    session.clear()  # a fresh session on every login
    session.permanent = True
    # current_user is a proxy; Flask-Login must keep the user itself.
    login_user(getattr(user, "_get_current_object", lambda: user)())


def login(phone: str, password: str) -> User:
    user = _user_by_phone(normalize_phone(phone) or "")
    # Hash even when the phone is unknown, so both failures take as long and say the same.
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
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


def update_profile(user: User, **fields) -> User:
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise invalid("current_password", "The current password is wrong.")
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    start_session(user)  # this device stays logged in; every other one is logged out


def list_residencies(community_id: int, status: str) -> list[Residency]:
    stmt = (select(Residency).filter_by(community_id=community_id, status=status)
            .order_by(Residency.created_at, Residency.id))
    return list(db.session.scalars(stmt))


def decide_residency(residency: Residency, staff: User, reason: str | None = None) -> Residency:
    if reason is None:
        _verify(residency, staff)
    else:
        residency.status, residency.reject_reason = "rejected", reason
        residency.verified_by_id, residency.verified_at = staff.id, utcnow()
    db.session.commit()
    return residency


def list_invites(community_id: int) -> list[InviteCode]:
    stmt = select(InviteCode).filter_by(community_id=community_id).order_by(InviteCode.id.desc())
    return list(db.session.scalars(stmt))


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
