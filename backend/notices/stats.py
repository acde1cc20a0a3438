"""Per notice: how many were addressed, pushed, delivered, read and acknowledged; who has not read it."""
from sqlalchemy import case, distinct, func, select, update

from backend.accounts.models import User
from backend.common.models import utcnow
from backend.errors import Conflict
from backend.extensions import db
from backend.notices.models import Notice, NoticeRecipient
from backend.notices.services import remind_window, send_push
from backend.places.models import Dwelling, Grid
from backend.push.models import PushDelivery, PushMessage

R = NoticeRecipient


def _push_counts(notice: Notice) -> dict[int | None, tuple[int, int]]:
    """grid_id → (people with a push sent to some device, people with one delivered)."""
    delivered = func.count(distinct(case((PushDelivery.status == "delivered", PushDelivery.user_id))))
    stmt = (select(R.grid_id, func.count(distinct(PushDelivery.user_id)), delivered)
            .join(PushDelivery, (PushDelivery.user_id == R.user_id))
            .join(PushMessage, PushMessage.id == PushDelivery.message_id)
            .where(R.notice_id == notice.id, PushMessage.source == notice.source,
                   PushMessage.community_id == notice.community_id)
            .group_by(R.grid_id))
    return {grid_id: (pushed, done) for grid_id, pushed, done in db.session.execute(stmt)}


def notice_stats(notice: Notice) -> dict:
    stmt = (select(R.grid_id, Grid.name, func.count(), func.count(R.read_at), func.count(R.acknowledged_at))
            .outerjoin(Grid, Grid.id == R.grid_id).where(R.notice_id == notice.id)
            .group_by(R.grid_id, Grid.name).order_by(R.grid_id.is_(None), R.grid_id))
    pushes = _push_counts(notice)
    grids = [{"grid_id": grid_id, "grid_name": name or "", "addressed": addressed, "read": read,
              "acknowledged": acked, "pushed": pushes.get(grid_id, (0, 0))[0],
              "delivered": pushes.get(grid_id, (0, 0))[1]}
             for grid_id, name, addressed, read, acked in db.session.execute(stmt)]
    totals = {key: sum(g[key] for g in grids) for key in ("addressed", "pushed", "delivered", "read", "acknowledged")}
    return {**totals, "notice_id": notice.id, "grids": grids}


def unread(notice: Notice, grid_id: int | None = None, page: int = 1, per_page: int = 50) -> list:
    """Addressed residents who have not opened it, with phone and dwelling, to call the ones who need it."""
    stmt = (select(User.id, User.name, User.phone, Dwelling.label, Grid.name)
            .select_from(R).join(User, User.id == R.user_id)
            .outerjoin(Dwelling, Dwelling.id == R.dwelling_id).outerjoin(Grid, Grid.id == R.grid_id)
            .where(R.notice_id == notice.id, R.read_at.is_(None))
            .order_by(R.grid_id.is_(None), R.grid_id, Dwelling.label, User.id))
    if grid_id is not None:
        stmt = stmt.where(R.grid_id == grid_id)
    rows = db.session.execute(stmt.offset((page - 1) * per_page).limit(per_page))
    return [{"user_id": uid, "name": name, "phone": phone, "dwelling": label or "", "grid": grid or ""}
            for uid, name, phone, label, grid in rows]


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
    user_ids = list(db.session.scalars(select(R.user_id).where(R.notice_id == notice.id, R.read_at.is_(None))))
    deliveries = send_push(notice, user_ids, now, reminder=True) if user_ids else 0
    db.session.commit()
    return {"reminded": len(user_ids), "deliveries": deliveries}
