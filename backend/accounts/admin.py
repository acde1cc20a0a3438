"""What an administrator looks up before acting (accounts by phone or name), and a staff member's leaving."""
from sqlalchemy import delete, or_, select, update

from backend.accounts.models import Membership, User
from backend.common.pagination import paginate
from backend.errors import Conflict, NotFound
from backend.extensions import db
from backend.facilities.models import Facility
from backend.guide.models import GuideItem
from backend.places.models import GridWorker
from backend.places.services import get_community


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_users(q: str = "", page: int = 1, per_page: int = 50) -> dict:
    """Accounts whose phone or name holds `q`, newest first (memberships come with them, in one more query)."""
    stmt = select(User)
    if q:
        stmt = stmt.where(or_(User.phone.like(_like(q), escape="\\"), User.name.like(_like(q), escape="\\")))
    return paginate(stmt.order_by(User.id.desc()), page, per_page)


def refuse_self(admin: User, user: User) -> None:
    """An administrator who disables their own account locks the deployment's only door."""
    if admin.id == user.id:
        raise Conflict("You cannot disable your own account.", "own_account")


def remove_staff(community_id: int, user_id: int) -> None:
    """A staff member leaves one community's office: the role goes (their next request is a resident's, if they
    live there), so do the grids they looked after, and they are no longer named as the contact of its
    facilities or guide items. Their account, their homes, their other communities and what they did stay."""
    get_community(community_id)
    membership = db.session.scalar(select(Membership).filter_by(community_id=community_id, user_id=user_id,
                                                                role="staff"))
    if membership is None:
        raise NotFound("No such staff member.")
    db.session.execute(delete(GridWorker).filter_by(community_id=community_id, user_id=user_id))
    db.session.execute(update(Facility).filter_by(community_id=community_id, staff_user_id=user_id)
                       .values(staff_user_id=None))
    db.session.execute(update(GuideItem).filter_by(community_id=community_id, contact_user_id=user_id)
                       .values(contact_user_id=None))
    db.session.delete(membership)
    db.session.commit()
