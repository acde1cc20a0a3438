"""A contact's photo: staff upload it; any member may see it on a visible profile, staff always."""
from sqlalchemy import select

from backend.contacts.models import Contact
from backend.extensions import db
from backend.files import Purpose, register_purpose


def _is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


def _may_read(user, file) -> bool:
    if _is_staff(user, file.community_id):
        return True
    # Only members reach this (the download is for members); a hidden profile's photo is for staff only.
    return db.session.scalar(select(Contact.id).filter_by(
        community_id=file.community_id, photo_id=file.id, visible=True).limit(1)) is not None


register_purpose("contact_photo", Purpose(may_upload=_is_staff, may_read=_may_read))
