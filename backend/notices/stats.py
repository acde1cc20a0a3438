"""Per notice: how many were addressed, pushed, delivered, read and acknowledged; who has not read it."""
import base64

from sqlalchemy import case, func, select, tuple_, update

from backend.accounts.models import User
from backend.common.db import is_postgres
from backend.common.fields import MAX_ID
from backend.common.models import utcnow
from backend.errors import Conflict, invalid
from backend.extensions import db
from backend.notices import fanout, sms
from backend.notices.models import Notice, NoticeRecipient
from backend.notices.services import push_message, remind_window
from backend.places.models import Dwelling, Grid
from backend.push import retention
from backend.push.models import PushDelivery, PushMessage

R = NoticeRecipient


def _pushed_users(notice: Notice, delivered: bool = False):
    """Who the outbox still holds a delivery of this notice for (to one of their devices, or reached)."""
    stmt = (select(PushDelivery.user_id).join(PushMessage, PushMessage.id == PushDelivery.message_id)
            .where(PushMessage.source == notice.source, PushMessage.community_id == notice.community_id))
    return stmt.where(PushDelivery.status == "delivered") if delivered else stmt


def notice_stats(notice: Notice) -> dict:
    """One grouped count over the recipients: pushes pruned from the outbox were folded into them first."""
    pushed = func.count(case((R.pushed | R.user_id.in_(_pushed_users(notice)), 1)))
    delivered = func.count(case((R.push_delivered | R.user_id.in_(_pushed_users(notice, delivered=True)), 1)))
    stmt = (select(R.grid_id, Grid.name, func.count(), pushed, delivered, func.count(R.read_at),
                   func.count(R.acknowledged_at))
            .outerjoin(Grid, Grid.id == R.grid_id).where(R.notice_id == notice.id)
            .group_by(R.grid_id, Grid.name).order_by(R.grid_id.is_(None), R.grid_id))
    keys = ("grid_id", "grid_name", "addressed", "pushed", "delivered", "read", "acknowledged")
    grids = [dict(zip(keys, row, strict=True)) for row in db.session.execute(stmt)]
    for grid in grids:
        grid["grid_name"] = grid["grid_name"] or ""
    totals = {key: sum(g[key] for g in grids) for key in keys[2:]}
    return {**totals, **sms.stats(notice), "notice_id": notice.id, "grids": grids,
            "progress": fanout.progress(notice)}


# The unread list's order, which ix_notice_recipient_unread holds. Each database keeps its own place for
# NULL (PostgreSQL last, SQLite first) so the index serves the order as it is; the cursor follows suit.
UNREAD_KEY = (R.grid_id, R.dwelling_id, R.user_id)


def _encode(grid_id: int | None, dwelling_id: int | None, user_id: int) -> str:
    raw = ".".join("" if v is None else str(v) for v in (grid_id, dwelling_id, user_id))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int | None, int | None, int]:
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(".")
        grid_id, dwelling_id, user_id = (int(p) if p else None for p in parts)
        if user_id is None or any(v is not None and not 0 < v <= MAX_ID for v in (grid_id, dwelling_id, user_id)):
            raise ValueError(cursor)
    except (ValueError, UnicodeDecodeError) as err:  # binascii.Error is a ValueError
        raise invalid("cursor", "Not a cursor from this list.") from err
    return grid_id, dwelling_id, user_id


def _after(columns: tuple, values: tuple, nulls_first: bool):
    """Rows after `values` in the order of `columns` (ascending, NULL placed as the database does)."""
    column, value = columns[0], values[0]
    if len(columns) == 1:
        return column > value
    rest = _after(columns[1:], values[1:], nulls_first)
    if value is None:
        same = column.is_(None) & rest
        return column.is_not(None) | same if nulls_first else same
    if nulls_first and None not in values:
        return tuple_(*columns) > tuple_(*values)  # a NULL on the row sorts before: the row is not after
    later = (column > value) | ((column == value) & rest)
    return later if nulls_first else later | column.is_(None)


def unread(notice: Notice, grid_id: int | None = None, building_id: int | None = None,
           cursor: str | None = None, limit: int = 50) -> dict:
    """Addressed residents who have not opened it, with phone and dwelling, to call the ones who need it."""
    stmt = (select(*UNREAD_KEY, User.name, User.phone, Dwelling.label, Grid.name)
            .select_from(R).join(User, User.id == R.user_id)
            .outerjoin(Dwelling, Dwelling.id == R.dwelling_id).outerjoin(Grid, Grid.id == R.grid_id)
            .where(R.notice_id == notice.id, R.read_at.is_(None))
            .order_by(*UNREAD_KEY).limit(limit + 1))
    if grid_id is not None:
        stmt = stmt.where(R.grid_id == grid_id)
    if building_id is not None:
        stmt = stmt.where(Dwelling.building_id == building_id)
    if cursor:
        stmt = stmt.where(_after(UNREAD_KEY, _decode(cursor), nulls_first=not is_postgres()))
    rows = db.session.execute(stmt).all()
    items = [{"user_id": uid, "name": name, "phone": phone, "dwelling": label or "", "grid": grid or ""}
             for _, _, uid, name, phone, label, grid in rows[:limit]]
    return {"items": items, "next_cursor": _encode(*rows[limit - 1][:3]) if len(rows) > limit else None}


def remind_unread(notice: Notice) -> dict:
    """Push the notice again to just those who have not read it; at most once per window."""
    now = utcnow()
    if notice.status != "published" or (notice.expires_at and notice.expires_at <= now):
        raise Conflict("Only a current, published notice can be sent again.", "notice_not_published")
    won = db.session.execute(
        update(Notice).where(Notice.id == notice.id, (Notice.last_reminded_at.is_(None))
                             | (Notice.last_reminded_at <= now - remind_window()))
        .values(last_reminded_at=now).execution_options(synchronize_session=False)).rowcount
    if not won:
        raise Conflict("A reminder went out a few minutes ago; please wait before sending another.",
                       "reminded_recently")
    unread = db.session.scalar(select(func.count()).select_from(R).where(R.notice_id == notice.id,
                                                                       R.read_at.is_(None))) or 0
    # The pushes are addressed by the worker, a chunk at a time (fanout.py); its progress says how far.
    fanout.start(notice, "remind", push_message(notice, now, reminder=True).id, total=unread)
    db.session.commit()
    return {"reminded": unread, "deliveries": 0}


@retention.keeper
def keep_push_counts(rows: list[tuple[str, int, str]]) -> None:
    """Before the outbox drops a notice's deliveries, mark their recipients pushed (and reached)."""
    sent: dict[int, set[int]] = {}
    reached: dict[int, set[int]] = {}
    for source, user_id, status in rows:
        kind, _, notice_id = source.partition(":")
        if kind == "notice" and notice_id.isdigit():
            sent.setdefault(int(notice_id), set()).add(user_id)
            if status == "delivered":
                reached.setdefault(int(notice_id), set()).add(user_id)
    for flags, by_notice in (({"pushed": True}, sent), ({"push_delivered": True}, reached)):
        for notice_id, user_ids in by_notice.items():
            db.session.execute(update(R).where(R.notice_id == notice_id, R.user_id.in_(sorted(user_ids)))
                               .values(**flags).execution_options(synchronize_session=False))
