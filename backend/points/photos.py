"""A catalogue item's photo: staff upload it; any member of the community may see it."""
from backend.files import Purpose, register_purpose

PHOTO_PURPOSE = "catalog_photo"


def _is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


register_purpose(PHOTO_PURPOSE, Purpose(may_upload=_is_staff, may_read=lambda user, file: True))
