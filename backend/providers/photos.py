"""Providers' files: staff upload both kinds; a shop photo is for every member, the licence only for staff."""
from backend.files import Purpose, register_purpose


def _is_staff(user, community_id: int) -> bool:
    return "staff" in user.roles_in(community_id)


register_purpose("provider_photo", Purpose(may_upload=_is_staff, may_read=lambda user, file: True))
# The licence may show the owner's identity card: staff of the provider's community only.
register_purpose("provider_licence", Purpose(may_upload=_is_staff,
                                             may_read=lambda user, file: _is_staff(user, file.community_id)))
