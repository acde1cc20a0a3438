"""The photo of a signed proxy consent form: staff upload it; staff and the resident it is for may see it."""
from sqlalchemy import select

from backend.extensions import db
from backend.files import Purpose, register_purpose
from backend.voting.models import ProxyConsent


def _is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


def _may_read(user, file) -> bool:
    if _is_staff(user, file.community_id):
        return True
    return db.session.scalar(select(ProxyConsent.id).filter_by(
        community_id=file.community_id, photo_id=file.id, resident_id=user.id)) is not None


register_purpose("proxy_consent", Purpose(may_upload=_is_staff, may_read=_may_read))
