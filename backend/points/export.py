"""The points CSV for staff: per resident, what was earned, spent and expired in a year, and the balance."""
import csv
import io

from sqlalchemy import case, func, select

from backend.accounts.models import User
from backend.common.csv import safe_row
from backend.extensions import db
from backend.points import clock
from backend.points.books import earning, with_reversed
from backend.points.models import PointAccount, PointEntry, PointTransaction

HEADER = ("姓名 Name", "手机 Phone", "获得 Earned", "兑换 Spent", "过期 Expired", "余额 Balance")


def _sum_when(condition):
    return func.coalesce(func.sum(case((condition, PointEntry.amount), else_=0)), 0)


def rows(community_id: int, year: int) -> list[tuple]:
    """Earned is net of reversals and downward adjustments, as `books.earning` defines it (it may be
    negative when more of earlier years' hours was adjusted down than was earned); spent is redemptions
    less their returns; expired and the balance as they are."""
    start, end = clock.year_range(community_id, year)
    kind = PointTransaction.kind
    in_year = (PointTransaction.created_at >= start) & (PointTransaction.created_at < end)
    earned, dated = earning()
    query = with_reversed(
        select(User.name, User.phone, _sum_when(earned & (dated >= start) & (dated < end)),
               -_sum_when(in_year & kind.in_(("redeem", "cancel"))), -_sum_when(in_year & (kind == "expire")),
               PointAccount.balance)
        .select_from(PointAccount).join(User, User.id == PointAccount.user_id)
        .outerjoin(PointEntry, PointEntry.account_id == PointAccount.id)
        .outerjoin(PointTransaction, PointTransaction.id == PointEntry.transaction_id))
    query = (query.where(PointAccount.community_id == community_id, PointAccount.kind == "resident")
             .group_by(PointAccount.id, User.name, User.phone, PointAccount.balance).order_by(User.name, User.phone))
    return [tuple(int(v) if i >= 2 else v for i, v in enumerate(row)) for row in db.session.execute(query)]


def points_csv(community_id: int, year: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(safe_row(row) for row in rows(community_id, year))
    return out.getvalue().encode("utf-8-sig")
