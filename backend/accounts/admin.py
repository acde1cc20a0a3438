"""What an administrator looks up before acting: accounts by phone or name, a community's staff."""
from sqlalchemy import or_, select

from backend.accounts.models import User
from backend.common.pagination import paginate
from backend.errors import Conflict


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
