"""The love supermarket (爱心超市): a catalogue of goods and partner services, redeemed with points.

A redemption reserves: the resident's points move to their held account and the stock is taken, in one
database transaction. Handing over moves the held points to the pool (goods) or the partner (services);
cancelling or expiring moves them back and returns the stock.
"""
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend.accounts.models import Residency, User
from backend.common.db import begin_write
from backend.common.models import utcnow
from backend.errors import Conflict, Forbidden, NotFound
from backend.extensions import db
from backend.places.models import Community
from backend.points import ledger
from backend.points.catalog import get_item, is_staff, month_counts, partner_of
from backend.points.models import CatalogItem, Partner, PartnerMember, PointsSettings, Redemption
from backend.points.settings import DEFAULTS


def my_partner_ids(community_id: int, user) -> set[int]:
    return set(db.session.scalars(
        select(PartnerMember.partner_id).join(Partner, Partner.id == PartnerMember.partner_id)
        .where(PartnerMember.community_id == community_id, PartnerMember.user_id == user.id, Partner.active)))


def is_verified(community_id: int, user_id: int) -> bool:
    return db.session.scalar(select(Residency.id).filter_by(
        community_id=community_id, user_id=user_id, status="verified").limit(1)) is not None


def _replayed_redemption(community_id: int, txn) -> Redemption:
    found = db.session.scalar(select(Redemption).where(
        Redemption.community_id == community_id,
        (Redemption.transaction_id == txn.id) | (Redemption.closing_transaction_id == txn.id)))
    if found is None:
        raise Conflict("This Idempotency-Key was used for a different request.", "idempotency_key_reused")
    found.replayed = True
    return found


def _replay_if_done(community_id: int, key: str, request_hash: str | None) -> Redemption | None:
    txn = ledger.find(community_id, key)
    if txn is None:
        return None
    return _replayed_redemption(community_id, ledger._replay(txn, request_hash))


def _terms(community_id: int) -> tuple[ZoneInfo, int]:
    """The community's time zone and how many days a redemption waits for pickup, in one query."""
    row = db.session.execute(
        select(Community.timezone, PointsSettings.pickup_days).outerjoin(
            PointsSettings, PointsSettings.community_id == Community.id).where(Community.id == community_id)).first()
    timezone, days = row if row else (None, None)
    return ZoneInfo(timezone or "Asia/Shanghai"), days or DEFAULTS["pickup_days"]


def _redeemable(community_id: int, user, item_id: int, quantity: int) -> CatalogItem:
    if not is_verified(community_id, user.id):
        raise Forbidden("Only verified residents may redeem points.", "not_verified")
    item = get_item(community_id, item_id)
    if item.kind == "service" and item.partner is not None and not item.partner.active:
        raise Conflict("This partner has paused its service; it cannot be redeemed now.", "partner_inactive")
    if item.stock is not None and item.stock < quantity:
        raise Conflict("Not enough in stock.", "out_of_stock")
    return item


def redeem(community_id: int, user, item_id: int, quantity: int, *, key: str,
           request_hash: str | None = None, now: datetime | None = None) -> Redemption:
    """Reserve `quantity` of an item for a verified resident. `.replayed` tells a retry.

    The resident's account row is locked first, so one person's redemptions run one at a time: a retry
    racing its original finds the original's key, and the monthly limit is counted with nothing in
    between. Balances and stock then move by conditional UPDATEs, which never go below zero."""
    now = now or utcnow()
    account = ledger.locked_resident(community_id, user.id)
    if account is not None:  # without an account nothing was ever redeemed, so there is nothing to replay
        done = _replay_if_done(community_id, key, request_hash)
        if done is not None:
            return done
    item = _redeemable(community_id, user, item_id, quantity)
    tz, pickup_days = _terms(community_id)
    if item.monthly_limit is not None and month_counts(
            community_id, user.id, now, tz, item_id=item.id).get(item.id, 0) + quantity > item.monthly_limit:
        raise Conflict("You have reached this month's limit for this item.", "monthly_limit_reached")
    points = item.points_cost * quantity
    if account is None or account.balance < points:
        raise Conflict("Not enough points.", "insufficient_points")
    txn = ledger.post(community_id, "redeem", [(account, -points), (ledger.held(community_id, user.id), points)],
                      key=key, memo=f"{item.title} ×{quantity}", by_user_id=user.id, request_hash=request_hash,
                      key_checked=True)
    if txn.replayed:
        return _replayed_redemption(community_id, txn)
    if item.stock is not None and not db.session.execute(
            update(CatalogItem).where(CatalogItem.id == item.id, CatalogItem.stock >= quantity)
            .values(stock=CatalogItem.stock - quantity).execution_options(synchronize_session=False)).rowcount:
        raise Conflict("Not enough in stock.", "out_of_stock")
    redemption = _insert(Redemption(community_id=community_id, item=item, user=db.session.get(User, user.id),
                                    quantity=quantity, points=points, status="reserved",
                                    expires_at=now + timedelta(days=pickup_days), transaction_id=txn.id,
                                    created_at=now))
    _commit_keeping_loaded()
    redemption.replayed = False
    return redemption


def _commit_keeping_loaded() -> None:
    """Commit without expiring what this request holds: the answer is made of the rows it just wrote, so
    reading them back would only repeat them."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _insert(redemption: Redemption) -> Redemption:
    """Give it a pickup code no other reserved redemption of the community has."""
    for _ in range(10):
        redemption.pickup_code = f"{secrets.randbelow(10**8):08d}"
        try:
            with db.session.begin_nested():
                db.session.add(redemption)
                db.session.flush()
            return redemption
        except IntegrityError:
            db.session.expunge(redemption) if redemption in db.session else None
    raise Conflict("Please try again.", "busy")


def get_redemption(community_id: int, redemption_id: int) -> Redemption:
    found = db.session.scalar(select(Redemption).filter_by(community_id=community_id, id=redemption_id))
    if found is None:
        raise NotFound("No such redemption.", "not_found")
    return found


def _close(redemption: Redemption, status: str, **values) -> bool:
    """Move a reserved redemption on; a second attempt, or a race, finds it no longer reserved."""
    return bool(db.session.execute(
        update(Redemption).where(Redemption.id == redemption.id, Redemption.status == "reserved")
        .values(status=status, **values).execution_options(synchronize_session=False)).rowcount)


NOT_RESERVED = ("This redemption is no longer reserved.", "not_reserved")


def cancel(community_id: int, redemption_id: int, user, *, key: str, request_hash: str | None = None,
           reason: str = "", status: str = "cancelled") -> Redemption:
    """The resident (own) or staff (any) cancels: the points and the stock come back."""
    done = _replay_if_done(community_id, key, request_hash)
    if done is not None:
        return done
    redemption = get_redemption(community_id, redemption_id)
    if user is not None and redemption.user_id != user.id and not is_staff(user, community_id):
        raise NotFound("No such redemption.", "not_found")
    if not _close(redemption, status, cancelled_reason=reason[:200]):
        done = _replay_if_done(community_id, key, request_hash)  # a retry that raced us and won
        if done is None:
            raise Conflict(*NOT_RESERVED)
        return done
    uid = redemption.user_id
    txn = ledger.post(community_id, "cancel", [(ledger.held(community_id, uid), -redemption.points),
                                               (ledger.resident(community_id, uid), redemption.points)],
                      key=key, memo=reason or status, by_user_id=user.id if user else None,
                      request_hash=request_hash)
    db.session.execute(
        update(CatalogItem).where(CatalogItem.id == redemption.item_id, CatalogItem.stock.is_not(None))
        .values(stock=CatalogItem.stock + redemption.quantity).execution_options(synchronize_session=False))
    db.session.execute(update(Redemption).where(Redemption.id == redemption.id)
                       .values(closing_transaction_id=txn.id).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(redemption)
    redemption.replayed = False
    return redemption


def may_hand_over(user, redemption: Redemption) -> bool:
    if is_staff(user, redemption.community_id):
        return True
    partner_id = partner_of(redemption.item)
    return partner_id is not None and partner_id in my_partner_ids(redemption.community_id, user)


def hand_over(community_id: int, redemption_id: int, user, now: datetime | None = None) -> Redemption:
    redemption = get_redemption(community_id, redemption_id)
    if not may_hand_over(user, redemption):
        raise Forbidden("Only staff or the partner may hand this over.", "forbidden")
    now = now or utcnow()
    if not _close(redemption, "handed_over", handed_over_by=user.id, handed_over_at=now):
        raise Conflict(*NOT_RESERVED)
    item = redemption.item
    to = ledger.account(community_id, "partner", partner_id=partner_of(item)) if partner_of(item) \
        else ledger.pool(community_id)
    txn = ledger.post(community_id, "handover", [(ledger.held(community_id, redemption.user_id), -redemption.points),
                                                 (to, redemption.points)],
                      key=f"handover:{redemption.id}", memo=f"{item.title} ×{redemption.quantity}", by_user_id=user.id)
    db.session.execute(update(Redemption).where(Redemption.id == redemption.id)
                       .values(closing_transaction_id=txn.id).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(redemption)
    return redemption


def lookup(community_id: int, user, pickup_code: str) -> Redemption:
    """Staff find any reserved redemption by its code; a partner's member only those of the partner's
    services: another's code answers exactly as an unknown one, so a desk learns nothing about it."""
    staff, partners = is_staff(user, community_id), my_partner_ids(community_id, user)
    if not staff and not partners:
        raise Forbidden("Only staff or partners look up pickup codes.", "forbidden")
    found = db.session.scalar(select(Redemption).filter_by(community_id=community_id, pickup_code=pickup_code,
                                                           status="reserved"))
    if found is None or not (staff or partner_of(found.item) in partners):
        raise NotFound("No reserved redemption has this code.", "not_found")
    return found


def mine(community_id: int, user) -> list[Redemption]:
    return list(db.session.scalars(select(Redemption).filter_by(community_id=community_id, user_id=user.id)
                                   .order_by(Redemption.id.desc()).limit(100)))


def listing(community_id: int, user, status: str | None = None):
    """Staff see every redemption; a partner's members see those of its services; others none."""
    query = select(Redemption).filter_by(community_id=community_id).order_by(Redemption.id.desc())
    if status:
        query = query.filter_by(status=status)
    if not is_staff(user, community_id):
        partners = my_partner_ids(community_id, user)
        if not partners:
            raise Forbidden("Only staff or partners see redemptions.", "forbidden")
        query = query.join(CatalogItem, CatalogItem.id == Redemption.item_id).where(
            CatalogItem.kind == "service", CatalogItem.partner_id.in_(partners))
    return query


def expire_due(now: datetime | None = None, limit: int = 100) -> int:
    """Worker: reserved redemptions past their pickup date are cancelled as expired."""
    now = now or utcnow()
    due = list(db.session.execute(select(Redemption.community_id, Redemption.id).where(
        Redemption.status == "reserved", Redemption.expires_at < now).order_by(Redemption.expires_at).limit(limit)))
    done = 0
    begin_write()
    for community_id, redemption_id in due:
        try:
            cancel(community_id, redemption_id, None, key=f"expire-redemption:{redemption_id}", reason="expired",
                   status="expired")
            done += 1
        except Conflict:
            db.session.rollback()  # handed over or cancelled meanwhile
    return done
