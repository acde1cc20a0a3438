"""Uploads, downloads and the orphan sweep; domains register a purpose with who may upload and read it."""
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from backend.common.models import utcnow
from backend.errors import Forbidden, NotFound, TooLarge, invalid
from backend.extensions import db
from backend.files import images
from backend.files.models import StoredFile, object_keys
from backend.files.storage import Missing, storage


@dataclass(frozen=True)
class Purpose:
    may_upload: Callable[[object, int], bool]    # (user, community_id)
    may_read: Callable[[object, StoredFile], bool]  # (user, an attached file)


PURPOSES: dict[str, Purpose] = {}


def register_purpose(name: str, purpose: Purpose) -> None:
    """Called by the domain that owns the rows using such files (voting: proxy_consent)."""
    PURPOSES[name] = purpose


def file_url(community_id: int, file_id: str, thumb: bool = False) -> str:
    return f"/api/v1/communities/{community_id}/files/{file_id}" + ("/thumb" if thumb else "")


def _read_capped(upload) -> bytes:
    cap = current_app.config["FILES_MAX_BYTES"]
    data = upload.stream.read(cap + 1)
    if len(data) > cap:
        size = f"{cap / 1024 / 1024:g} MB" if cap >= 1024 * 1024 else f"{cap / 1024:g} KB"
        raise TooLarge(f"The file is larger than {size}.", "file_too_large", {"file": [f"Larger than {size}."]})
    return data


def upload_file(community_id: int, user, purpose: str, upload) -> StoredFile:
    if not PURPOSES[purpose].may_upload(user, community_id):
        raise Forbidden("You may not upload this kind of file here.")
    data = _read_capped(upload)
    encoded = images.encode(data, current_app.config["FILES_MAX_PIXELS"])
    row = StoredFile(id=uuid.uuid4().hex, community_id=community_id, purpose=purpose, uploaded_by_id=user.id,
                     width=encoded.width, height=encoded.height, size=len(encoded.display),
                     thumb_size=len(encoded.thumb), original_size=len(data))
    store, (key, thumb_key) = storage(), row.keys
    store.put(key, encoded.display)
    store.put(thumb_key, encoded.thumb)
    db.session.add(row)
    try:
        db.session.commit()
    except Exception:
        _delete_objects(community_id, row.id)
        raise
    return row


def readable_file(community_id: int, file_id: str, user) -> StoredFile:
    """The file, if this user may read it: its uploader until attached, then the owning row's rule."""
    row = db.session.scalar(select(StoredFile).filter_by(id=file_id, community_id=community_id))
    if row is None:
        raise NotFound("No such file.")
    if row.attached_at is None:
        allowed = row.uploaded_by_id == user.id
    else:
        allowed = row.purpose in PURPOSES and PURPOSES[row.purpose].may_read(user, row)
    if not allowed:
        raise Forbidden("You may not see this file.")
    return row


def file_bytes(row: StoredFile, thumb: bool = False) -> bytes:
    try:
        return storage().get(row.keys[1 if thumb else 0])
    except Missing:
        raise NotFound("This file is no longer kept.") from None


def attach(file_id: str, community_id: int, purpose: str, user, field: str = "file") -> StoredFile:
    """Claim an upload for the row being written, in the caller's transaction: only an unattached file of
    this purpose and community that this user uploaded, and only once (two claims race on one update)."""
    claimed = db.session.execute(
        update(StoredFile).where(StoredFile.id == file_id, StoredFile.community_id == community_id,
                                 StoredFile.purpose == purpose, StoredFile.uploaded_by_id == user.id,
                                 StoredFile.attached_at.is_(None))
        .values(attached_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise invalid(field, "Upload the photo first (each photo is used once).", "file_invalid")
    return db.session.get(StoredFile, file_id)


def _delete_objects(community_id: int, file_id: str) -> None:
    store = storage()
    for key in object_keys(community_id, file_id):
        store.delete(key)


def sweep_orphans(now: datetime | None = None, limit: int = 200) -> int:
    """Delete uploads never attached within FILES_ORPHAN_HOURS: the row first (only while still unattached),
    then its stored copies."""
    cutoff = (now or utcnow()) - timedelta(hours=current_app.config["FILES_ORPHAN_HOURS"])
    ids = list(db.session.scalars(select(StoredFile.id).where(StoredFile.attached_at.is_(None),
                                                              StoredFile.created_at < cutoff).limit(limit)))
    if not ids:
        return 0
    gone = db.session.execute(delete(StoredFile).where(StoredFile.id.in_(ids), StoredFile.attached_at.is_(None))
                              .returning(StoredFile.id, StoredFile.community_id)).all()
    db.session.commit()
    for file_id, community_id in gone:
        _delete_objects(community_id, file_id)
    return len(gone)
