"""Test data for voting: polls written through the services, homes with owners on record, consent photos."""
import io
from datetime import timedelta

from PIL import Image

from backend.accounts.models import Residency
from backend.common.models import utcnow
from backend.extensions import db
from backend.places.models import DwellingOwner
from backend.voting import services
from tests import factories

EVERYONE = {"everyone": True, "grid_ids": [], "building_ids": []}


def poll_body(**extra) -> dict:
    return {"title": "小区东门是否加装道闸", "body": "请大家发表意见。", "kind": "opinion",
            "options": [{"label": "赞成"}, {"label": "反对"}],
            "scope": {"everyone": True}, "closes_at": (utcnow() + timedelta(days=7)).isoformat(), **extra}


def create_poll(community, author, publish: bool = True, **fields):
    data = {"title": "小区东门是否加装道闸", "kind": "opinion", "scope": EVERYONE,
            "options": [{"label": "赞成"}, {"label": "反对"}], "closes_at": utcnow() + timedelta(days=7), **fields}
    poll = services.create_poll(community.id, author, **data)
    return services.publish_poll(poll) if publish else poll


def owner_of(community, *dwellings, phone: str | None = None, verified: bool = True):
    """A resident who owns these dwellings: on the register, and living in the first."""
    user = factories.create_user(community, phone=phone)
    for dwelling in dwellings:
        db.session.add(DwellingOwner(community_id=community.id, dwelling_id=dwelling.id, phone=user.phone))
    db.session.add(Residency(user=user, community_id=community.id, dwelling=dwellings[0], relation="owner",
                             status="verified" if verified else "pending", verified_at=utcnow()))
    db.session.commit()
    return user


def jpeg(size=(60, 40), color="white", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **save)
    return out.getvalue()


def upload_consent_photo(staff_client, community) -> str:
    """The photo of a signed proxy consent form, uploaded by the staff member behind the client: its id."""
    r = staff_client.post(f"/api/v1/communities/{community.id}/files",
                          data={"purpose": "proxy_consent", "file": (io.BytesIO(jpeg()), "form.jpg")})
    assert r.status_code == 201, r.json
    return r.json["id"]
