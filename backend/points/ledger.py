"""The points ledger: the one way points move. Other domains call `award`, `reverse`, `adjust`, `balance`.

Every function works inside the caller's database transaction and never commits. A posting is idempotent
on (community, key): posting the same key again returns the first transaction and changes nothing.
Balances change by a conditional UPDATE, so no balance but the pool's ever goes below zero, on SQLite
or PostgreSQL, however many requests race.
"""
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from backend.common.db import upsert
from backend.errors import Conflict, NotFound
from backend.extensions import db
from backend.points.models import PointAccount, PointEntry, PointTransaction

# Lock order when one posting touches several accounts: people first, the pool last (no deadlocks).
_LOCK_RANK = {"resident": 0, "held": 1, "partner": 2, "pool": 3}


def _owner(kind: str, ref: int | None) -> str:
    return kind if ref is None else f"{kind}:{ref}"


def account(community_id: int, kind: str, *, user_id: int | None = None, partner_id: int | None = None,
            lock: bool = False) -> PointAccount:
    """The account, created on first use (a race creates it once)."""
    owner = _owner(kind, user_id if kind in ("resident", "held") else partner_id)
    query = select(PointAccount).filter_by(community_id=community_id, owner=owner)
    if lock:
        query = query.with_for_update()
    found = db.session.scalar(query)
    if found is None:
        db.session.execute(upsert(PointAccount.__table__).values(
            community_id=community_id, kind=kind, owner=owner, user_id=user_id, partner_id=partner_id,
            balance=0).on_conflict_do_nothing())
        found = db.session.scalar(query)
    return found


def pool(community_id: int) -> PointAccount:
    return account(community_id, "pool")


def resident(community_id: int, user_id: int, lock: bool = False) -> PointAccount:
    return account(community_id, "resident", user_id=user_id, lock=lock)


def held(community_id: int, user_id: int) -> PointAccount:
    return account(community_id, "held", user_id=user_id)


def locked_resident(community_id: int, user_id: int) -> PointAccount | None:
    """The resident's account, locked until the caller's transaction ends (FOR UPDATE on PostgreSQL;
    SQLite queues every writer anyway); None, and nothing made, for someone who never had points."""
    return db.session.scalar(select(PointAccount).filter_by(
        community_id=community_id, owner=_owner("resident", user_id)).with_for_update()
        .execution_options(populate_existing=True))


def find(community_id: int, key: str) -> PointTransaction | None:
    return db.session.scalar(select(PointTransaction).filter_by(community_id=community_id, key=key))


def _replay(existing: PointTransaction, request_hash: str | None) -> PointTransaction:
    if request_hash is not None and existing.request_hash != request_hash:
        raise Conflict("This Idempotency-Key was used for a different request.", "idempotency_key_reused")
    existing.replayed = True
    return existing


def post(community_id: int, kind: str, legs: list[tuple[PointAccount, int]], *, key: str, memo: str = "",
         by_user_id: int | None = None, request_hash: str | None = None,
         reverses_id: int | None = None, key_checked: bool = False) -> PointTransaction:
    """Record one transaction: `legs` are (account, signed amount) summing to zero. A repeated key returns
    the first transaction (`.replayed` is True); raises Conflict("insufficient_points") if a balance
    would go below zero, leaving the caller's transaction as it was. `key_checked`: the caller has just
    looked the key up itself (a racing twin is still caught by the key's unique constraint)."""
    legs = [(acc, amount) for acc, amount in legs if amount]
    if not legs or sum(amount for _, amount in legs) != 0:
        raise ValueError("a transaction's entries must be non-zero and sum to zero")
    existing = None if key_checked else find(community_id, key)
    if existing is not None:
        return _replay(existing, request_hash)
    try:
        with db.session.begin_nested():
            txn = PointTransaction(community_id=community_id, kind=kind, key=key, memo=memo[:200],
                                   created_by=by_user_id, request_hash=request_hash, reverses_id=reverses_id)
            db.session.add(txn)
            db.session.flush()
            _move(txn, legs)
    except IntegrityError:
        # The same key was posted by a request that committed first: give its answer.
        existing = find(community_id, key)
        if existing is None:
            raise
        return _replay(existing, request_hash)
    txn.replayed = False
    return txn


def _move(txn: PointTransaction, legs: list[tuple[PointAccount, int]]) -> None:
    for acc, amount in sorted(legs, key=lambda leg: (_LOCK_RANK[leg[0].kind], leg[0].id)):
        done = db.session.execute(
            update(PointAccount)
            .where(PointAccount.id == acc.id, (PointAccount.kind == "pool") | (PointAccount.balance + amount >= 0))
            .values(balance=PointAccount.balance + amount)
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise Conflict("Not enough points.", "insufficient_points")
    db.session.execute(insert(PointEntry), [  # all legs in one statement
        {"transaction_id": txn.id, "account_id": acc.id, "amount": amount} for acc, amount in legs])
    for acc, _ in legs:
        db.session.expire(acc, ["balance"])


def award(community_id: int, user_id: int, amount: int, *, kind: str, key: str, memo: str,
          by_user_id: int | None, request_hash: str | None = None) -> PointTransaction:
    """Pool → resident, `amount` > 0 points, inside the caller's transaction (no commit).
    Idempotent on (community_id, key): a second call with the same key returns the first transaction."""
    if amount <= 0:
        raise ValueError("an award is a positive number of points")
    existing = find(community_id, key)
    if existing is not None:
        return _replay(existing, request_hash)
    return post(community_id, kind, [(resident(community_id, user_id), amount), (pool(community_id), -amount)],
                key=key, memo=memo, by_user_id=by_user_id, request_hash=request_hash)


def reverse(community_id: int, transaction_id: int, *, key: str, memo: str, by_user_id: int | None,
            request_hash: str | None = None) -> PointTransaction:
    """A new transaction with every entry negated; Conflict "insufficient_points" if that would take a
    balance below zero, "already_reversed" if it was reversed before. Idempotent on key."""
    existing = find(community_id, key)
    if existing is not None:
        return _replay(existing, request_hash)
    original = db.session.scalar(select(PointTransaction).filter_by(community_id=community_id, id=transaction_id))
    if original is None:
        raise NotFound("No such transaction.", "not_found")
    if original.kind == "reversal" or db.session.scalar(
            select(PointTransaction.id).filter_by(reverses_id=original.id)) is not None:
        raise Conflict("This transaction has already been reversed.", "already_reversed")
    legs = [(entry.account, -entry.amount) for entry in original.entries]
    try:
        return post(community_id, "reversal", legs, key=key, memo=memo, by_user_id=by_user_id,
                    request_hash=request_hash, reverses_id=original.id)
    except IntegrityError:
        # Another key reversed it at the same moment (reverses_id is unique).
        raise Conflict("This transaction has already been reversed.", "already_reversed") from None


def adjust(community_id: int, user_id: int, delta: int, *, key: str, memo: str,
           by_user_id: int | None) -> PointTransaction | None:
    """Change an earlier award by `delta` points (either sign); None when delta is 0. Taking points back
    that the resident has already spent raises Conflict("insufficient_points")."""
    if delta == 0:
        return None
    return post(community_id, "adjust", [(resident(community_id, user_id), delta), (pool(community_id), -delta)],
                key=key, memo=memo, by_user_id=by_user_id)


def balance(community_id: int, user_id: int) -> int:
    """The resident's spendable points (0 for someone who never had any)."""
    return db.session.scalar(select(PointAccount.balance).filter_by(
        community_id=community_id, owner=_owner("resident", user_id))) or 0


def balances(community_id: int, user_ids: list[int]) -> dict[int, int]:
    """Spendable points of several residents in one query (absent: never had any)."""
    owners = {_owner("resident", uid): uid for uid in user_ids}
    rows = db.session.execute(select(PointAccount.owner, PointAccount.balance).where(
        PointAccount.community_id == community_id, PointAccount.owner.in_(owners)))
    return {owners[owner]: amount for owner, amount in rows}


def held_balance(community_id: int, user_id: int) -> int:
    return db.session.scalar(select(PointAccount.balance).filter_by(
        community_id=community_id, owner=_owner("held", user_id))) or 0


def check(community_id: int | None = None) -> list[str]:
    """What is wrong with the books: transactions not summing to zero, cached balances that differ from
    their entries, negative balances. [] when all is well."""
    problems = []
    txns = select(PointEntry.transaction_id, func.sum(PointEntry.amount)).group_by(PointEntry.transaction_id)
    sums = select(PointAccount.id, PointAccount.kind, PointAccount.balance,
                  func.coalesce(func.sum(PointEntry.amount), 0)).outerjoin(
        PointEntry, PointEntry.account_id == PointAccount.id).group_by(PointAccount.id)
    if community_id is not None:
        txns = txns.join(PointTransaction, PointTransaction.id == PointEntry.transaction_id).where(
            PointTransaction.community_id == community_id)
        sums = sums.where(PointAccount.community_id == community_id)
    problems += [f"transaction {tid} sums to {total}" for tid, total in db.session.execute(txns) if total != 0]
    for aid, kind, cached, total in db.session.execute(sums):
        if cached != total:
            problems.append(f"account {aid} caches {cached}, its entries sum to {total}")
        if kind != "pool" and cached < 0:
            problems.append(f"account {aid} ({kind}) is negative: {cached}")
    return problems

