"""Reading the ledger (my points, the staff's ledger view, the CSV), manual awards, reversals, yearly expiry."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from backend.accounts.models import Membership, User
from backend.common.db import begin_write
from backend.common.models import utcnow
from backend.common.pagination import paginate
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.points import clock, ledger
from backend.points.models import EARNING_KINDS, PointAccount, PointEntry, PointsSettings, PointTransaction
from backend.points.settings import get_settings

REVERSIBLE = ("hours", "manual", "adjust")


_Reversed = aliased(PointTransaction)


def with_reversed(query):
    """Join, to a query over PointTransaction, the transaction each one reverses (for `earning`)."""
    return query.outerjoin(_Reversed, _Reversed.id == PointTransaction.reverses_id)


def earning() -> tuple:
    """(which legs count as earning, the instant each counts at), over PointEntry, its PointTransaction and,
    joined by `with_reversed`, the transaction that one reverses.

    Earned, net, is the sum of the resident's legs of awards — kinds hours, manual and adjust, with their
    sign, so a downward adjustment counts negative — and of the reversals of such awards, which take the
    award back. A reversal counts at the instant of the award it reverses (taking back last December's
    award lowers last year's earnings, not this year's, and first-in-first-out expiry sees those points
    gone); an adjustment counts when it was posted. Redemptions, their returns and expiry are not earning."""
    condition = PointTransaction.kind.in_(EARNING_KINDS) | (
        (PointTransaction.kind == "reversal") & _Reversed.kind.in_(EARNING_KINDS))
    return condition, func.coalesce(_Reversed.created_at, PointTransaction.created_at)


def _earned(account_id: int, before: datetime | None = None, since: datetime | None = None) -> int:
    """Points the account earned, net of what was taken back (see `earning`), counted at [since, before)."""
    condition, dated = earning()
    query = with_reversed(select(func.coalesce(func.sum(PointEntry.amount), 0)).select_from(PointEntry).join(
        PointTransaction, PointTransaction.id == PointEntry.transaction_id)).where(
        PointEntry.account_id == account_id, condition)
    if before is not None:
        query = query.where(dated < before)
    if since is not None:
        query = query.where(dated >= since)
    return int(db.session.scalar(query))


def expiring_amount(account: PointAccount, cut: datetime) -> int:
    """First in, first out: of the points earned (net) before `cut`, what is left unspent; what was spent
    or expired is everything earned that is no longer in the balance."""
    consumed = _earned(account.id) - account.balance
    return max(0, min(account.balance, _earned(account.id, before=cut) - consumed))


def _account_of(community_id: int, user_id: int) -> PointAccount | None:
    return db.session.scalar(select(PointAccount).filter_by(community_id=community_id, owner=f"resident:{user_id}"))


def me(community_id: int, user, now: datetime | None = None) -> dict:
    year = clock.local_now(community_id, now).year
    account = _account_of(community_id, user.id)
    out = {"balance": 0, "held": ledger.held_balance(community_id, user.id), "earned_this_year": 0, "expiring": None}
    if account is None:
        return out
    out["balance"] = account.balance
    # Never shown below zero (only a downward adjustment of last year's hours could take it there).
    out["earned_this_year"] = max(0, _earned(account.id, since=clock.year_start(community_id, year)))
    if get_settings(community_id)["expiry"] == "yearly":
        amount = expiring_amount(account, clock.year_start(community_id, year))
        if amount:
            out["expiring"] = {"amount": amount, "on": clock.year_end_date(year)}
    return out


def my_transactions(community_id: int, user, page: int = 1, per_page: int = 50) -> dict:
    """My resident account's entries, newest first, each with the balance it left."""
    account = _account_of(community_id, user.id)
    if account is None:
        return {"items": [], "total": 0, "page": page, "per_page": per_page}
    query = (select(PointEntry.id, PointEntry.amount, PointTransaction.id, PointTransaction.kind,
                    PointTransaction.memo, PointTransaction.created_at)
             .join(PointTransaction, PointTransaction.id == PointEntry.transaction_id)
             .where(PointEntry.account_id == account.id).order_by(PointEntry.id.desc()))
    total = db.session.scalar(select(func.count()).where(PointEntry.account_id == account.id))
    rows = list(db.session.execute(query.offset((page - 1) * per_page).limit(per_page)))
    items = []
    if rows:
        after = db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.account_id == account.id, PointEntry.id > rows[0][0]))
        running = account.balance - int(after)
        for _, amount, tid, kind, memo, created_at in rows:
            items.append({"id": tid, "kind": kind, "amount": amount, "memo": memo, "created_at": created_at,
                          "balance_after": running})
            running -= amount
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def present(txns: list[PointTransaction]) -> list[PointTransaction]:
    """Name the people on each transaction's legs, and say whether it was reversed."""
    user_ids = {e.account.user_id for t in txns for e in t.entries if e.account.user_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    reversed_ids = set(db.session.scalars(select(PointTransaction.reverses_id).where(
        PointTransaction.reverses_id.in_([t.id for t in txns])))) if txns else set()
    for txn in txns:
        txn.reversed = txn.id in reversed_ids
        txn.legs = [{"account_id": e.account_id, "kind": e.account.kind, "amount": e.amount,
                     "user": {"id": e.account.user_id, "name": names.get(e.account.user_id, "")}
                     if e.account.user_id else None, "partner_id": e.account.partner_id} for e in txn.entries]
        resident = next((leg for leg in txn.legs if leg["kind"] == "resident"), None)
        txn.user = resident["user"] if resident else None
        txn.amount = resident["amount"] if resident else None
    return txns


def transactions(community_id: int, user_id: int | None = None, kind: str | None = None, page: int = 1,
                 per_page: int = 50) -> dict:
    query = select(PointTransaction).filter_by(community_id=community_id).order_by(PointTransaction.id.desc())
    if kind:
        query = query.filter_by(kind=kind)
    if user_id:
        accounts = select(PointAccount.id).where(PointAccount.community_id == community_id,
                                                 PointAccount.user_id == user_id)
        query = query.where(PointTransaction.id.in_(
            select(PointEntry.transaction_id).where(PointEntry.account_id.in_(accounts))))
    result = paginate(query, page, per_page)
    present(result["items"])
    return result


def get_transaction(community_id: int, transaction_id: int) -> PointTransaction:
    txn = db.session.scalar(select(PointTransaction).filter_by(community_id=community_id, id=transaction_id))
    if txn is None:
        raise NotFound("No such transaction.", "not_found")
    return txn


def award(community_id: int, by, user_id: int, amount: int, reason: str, *, key: str,
          request_hash: str) -> PointTransaction:
    """A manual award by staff (垃圾分类好, for instance), to a member of the community."""
    if db.session.scalar(select(Membership.id).filter_by(community_id=community_id, user_id=user_id).limit(1)) is None:
        raise invalid("user_id", "This person is not a member of the community.")
    txn = ledger.award(community_id, user_id, amount, kind="manual", key=key, memo=reason, by_user_id=by.id,
                       request_hash=request_hash)
    replayed = txn.replayed
    db.session.commit()
    txn = present([get_transaction(community_id, txn.id)])[0]
    txn.replayed = replayed
    return txn


def reverse(community_id: int, by, transaction_id: int, reason: str, *, key: str,
            request_hash: str) -> PointTransaction:
    if ledger.find(community_id, key) is None and get_transaction(community_id, transaction_id).kind not in REVERSIBLE:
        raise Conflict("Only awards can be reversed; cancel a redemption instead.", "not_reversible")
    txn = ledger.reverse(community_id, transaction_id, key=key, memo=reason, by_user_id=by.id,
                         request_hash=request_hash)
    replayed = txn.replayed
    db.session.commit()
    txn = present([get_transaction(community_id, txn.id)])[0]
    txn.replayed = replayed
    return txn


def expire_year(now: datetime | None = None) -> int:
    """Worker: in communities with yearly expiry, points earned in year Y and still unspent at the end of
    Y+1 go back to the pool, first in first out; once per community and year (keys make it safe)."""
    now = now or utcnow()
    done = 0
    for settings in db.session.scalars(select(PointsSettings).where(PointsSettings.expiry == "yearly")).all():
        cid = settings.community_id
        year = clock.local_now(cid, now).year
        if settings.expired_year is not None and settings.expired_year >= year:
            continue
        begin_write()
        cut = clock.year_start(cid, year - 1)
        accounts = db.session.scalars(select(PointAccount).where(
            PointAccount.community_id == cid, PointAccount.kind == "resident", PointAccount.balance > 0)
            .order_by(PointAccount.id)).all()
        for account in accounts:
            amount = expiring_amount(account, cut)
            key = f"expire:{account.id}:{year}"
            if amount and ledger.find(cid, key) is None:
                ledger.post(cid, "expire", [(account, -amount), (ledger.pool(cid), amount)], key=key,
                            memo=f"{year - 2}年积分到期", by_user_id=None)
                done += 1
        db.session.get(PointsSettings, settings.id).expired_year = year
        db.session.commit()
    return done
