"""Uploaded photos: checked by content, re-encoded without metadata, stored in a folder or S3, read by rule."""
import io
import socket
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import ExifTags, Image
from sqlalchemy import func, select

from backend.accounts.services import ensure_membership
from backend.common.models import utcnow
from backend.extensions import db
from backend.files.models import StoredFile
from backend.files.services import sweep_orphans
from tests import factories
from tests.voting_factories import create_poll, jpeg, owner_of


def files_url(community) -> str:
    return f"/api/v1/communities/{community.id}/files"


def upload(client, community, data: bytes, name: str = "photo.jpg", purpose: str = "proxy_consent"):
    return client.post(files_url(community), data={"purpose": purpose, "file": (io.BytesIO(data), name)})


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile))


def stored_image(client, body: dict, thumb: bool = False) -> Image.Image:
    r = client.get(body["thumb_url"] if thumb else body["url"])
    assert r.status_code == 200 and r.mimetype == "image/jpeg" and "private" in r.headers["Cache-Control"]
    return Image.open(io.BytesIO(r.data))


def png(size=(40, 30), color=(0, 0, 255, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


# What comes in: checked by content, re-encoded


def test_bytes_that_are_no_picture_are_refused_whatever_their_name(staff_client, community):
    r = upload(staff_client, community, b"MZ\x90\x00 this is a program, not a photo" * 20, "photo.jpg")
    assert r.status_code == 422 and r.json["code"] == "not_an_image" and "file" in r.json["errors"]
    assert upload(staff_client, community, jpeg()[:200]).json["code"] == "not_an_image"  # cut short
    assert count() == 0


@pytest.mark.parametrize("data, errors", [
    ({"purpose": "proxy_consent"}, "file"),
    ({"purpose": "proxy_consent", "file": "just text, no file part"}, "file"),
    ({"purpose": "avatar", "file": (io.BytesIO(b"x"), "a.jpg")}, "purpose"),
    ({"file": (io.BytesIO(b"x"), "a.jpg")}, "purpose"),
])
def test_a_malformed_upload_gets_a_clear_error(staff_client, community, data, errors):
    r = staff_client.post(files_url(community), data=data)
    assert r.status_code == 422 and errors in r.json["errors"], r.json
    assert count() == 0


def test_only_staff_upload_consent_forms(resident_client, community):
    r = upload(resident_client, community, jpeg())
    assert r.status_code == 403 and r.json["code"] == "forbidden" and count() == 0


def test_exif_and_gps_are_stripped_and_the_orientation_applied(staff_client, community):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was held upright: turn 90° clockwise to show
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (22.0, 32.0, 0.0)
    data = jpeg((60, 40), exif=exif)
    assert b"Exif" in data
    r = upload(staff_client, community, data)
    assert r.status_code == 201 and (r.json["width"], r.json["height"]) == (40, 60)
    for thumb in (False, True):
        img = stored_image(staff_client, r.json, thumb)
        assert img.size == (40, 60) and not img.getexif() and "exif" not in img.info


def test_a_png_with_transparency_becomes_a_jpeg_on_white(staff_client, community):
    r = upload(staff_client, community, png(), "scan.png")
    assert r.status_code == 201
    img = stored_image(staff_client, r.json)
    assert img.format == "JPEG" and img.mode == "RGB" and min(img.getpixel((20, 15))) > 240


def test_an_iphone_heic_becomes_a_jpeg(staff_client, community):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "HEIF")  # pillow-heif's encoder
    r = upload(staff_client, community, out.getvalue(), "IMG_0001.HEIC")
    assert r.status_code == 201 and (r.json["width"], r.json["height"]) == (64, 48)
    assert stored_image(staff_client, r.json).format == "JPEG"


def test_a_webp_is_taken(staff_client, community):
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "gray").save(out, "WEBP")
    assert upload(staff_client, community, out.getvalue(), "x.webp").status_code == 201


def test_a_large_photo_is_shrunk_and_gets_a_thumbnail(staff_client, community):
    r = upload(staff_client, community, jpeg((2400, 1200)))
    assert r.status_code == 201 and (r.json["width"], r.json["height"]) == (1600, 800)
    assert stored_image(staff_client, r.json).size == (1600, 800)
    assert stored_image(staff_client, r.json, thumb=True).size == (320, 160)


def test_a_file_over_the_size_cap_is_refused(app, staff_client, community):
    app.config["FILES_MAX_BYTES"] = 2000
    r = upload(staff_client, community, jpeg((400, 400), quality=100))
    assert r.status_code == 413 and r.json["code"] == "file_too_large" and count() == 0


def test_a_body_over_the_request_cap_is_a_json_413(app, staff_client, community):
    app.config["MAX_CONTENT_LENGTH"] = 5000
    r = upload(staff_client, community, b"\xff" * 10_000)
    assert r.status_code == 413 and r.json["code"] == "too_large"


def test_a_picture_over_the_pixel_cap_is_refused(app, staff_client, community):
    app.config["FILES_MAX_PIXELS"] = 1000
    r = upload(staff_client, community, jpeg((60, 40)))
    assert r.status_code == 422 and r.json["code"] == "too_many_pixels" and count() == 0


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims an enormous picture: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + png()[33:])


def test_a_decompression_bomb_is_refused(app, staff_client, community):
    app.config["FILES_MAX_PIXELS"] = 10**12  # past ours, Pillow's own guard answers
    r = upload(staff_client, community, _png_claiming(100_000, 100_000), "bomb.png")
    assert r.status_code == 422 and r.json["code"] == "too_many_pixels" and count() == 0


# Who may read


@pytest.fixture
def consent(community, staff, staff_client):
    """A proxy vote entered by staff for an owner, with the photo of the signed form."""
    owner = owner_of(community, factories.create_dwelling(community))
    poll = create_poll(community, staff, kind="owners", options=[])
    photo = upload(staff_client, community, jpeg()).json
    body = {"resident_id": owner.id, "choices": [poll.options[0].id], "witness": "网格员张伟",
            "signed_at": utcnow().isoformat(), "form_ref": "委托书-001", "photo": photo["id"]}
    r = staff_client.post(f"/api/v1/communities/{community.id}/polls/manage/{poll.id}/proxy-ballots", json=body)
    assert r.status_code == 201, r.json
    return {"owner": owner, "photo": photo}


@pytest.mark.parametrize("who, status", [
    ("uploader", 200), ("other_staff", 200), ("owner", 200), ("other_resident", 403),
    ("staff_elsewhere", 403), ("anonymous", 401),
])
def test_a_consent_photo_is_read_by_staff_and_the_resident_it_is_for(
        make_client, staff_client, community, other_community, consent, who, status):
    people = {"other_staff": factories.create_user(community, role="staff"), "owner": consent["owner"],
              "other_resident": factories.create_resident(community),
              "staff_elsewhere": factories.create_user(other_community, role="staff")}
    client = {"uploader": staff_client, "anonymous": make_client()}.get(who)
    client = client or factories.logged_in(make_client(), people[who])
    for url in (consent["photo"]["url"], consent["photo"]["thumb_url"]):
        r = client.get(url)
        assert r.status_code == status
        assert r.mimetype == "image/jpeg" if status == 200 else r.json["status"] == status


def test_an_unattached_upload_is_its_uploaders_alone(make_client, staff_client, community):
    photo = upload(staff_client, community, jpeg()).json
    assert staff_client.get(photo["url"]).status_code == 200
    colleague = factories.logged_in(make_client(), factories.create_user(community, role="staff"))
    assert colleague.get(photo["url"]).status_code == 403


def test_a_file_is_found_only_in_its_own_community(staff_client, community, other_community, staff):
    photo = upload(staff_client, community, jpeg()).json
    ensure_membership(staff, other_community.id, "staff", "")  # staff of both: the file still has one home
    db.session.commit()
    r = staff_client.get(photo["url"].replace(f"/{community.id}/", f"/{other_community.id}/"))
    assert r.status_code == 404 and r.json["code"] == "not_found"
    assert staff_client.get(f"{files_url(community)}/nope").status_code == 404


def test_a_photo_unchanged_since_last_time_is_a_304(staff_client, community):
    photo = upload(staff_client, community, jpeg()).json
    etag = staff_client.get(photo["url"]).headers["ETag"]
    assert staff_client.get(photo["url"], headers={"If-None-Match": etag}).status_code == 304


# Orphans


def test_the_worker_sweeps_uploads_never_attached(app, staff_client, community, consent):
    orphan = upload(staff_client, community, jpeg()).json
    folder = app.config["FILES_FOLDER"]
    assert sweep_orphans() == 0
    assert sweep_orphans(utcnow() + timedelta(hours=25)) == 1
    assert [row.id for row in db.session.scalars(select(StoredFile))] == [consent["photo"]["id"]]
    kept = sorted(p.name for p in Path(folder).rglob("*.jpg"))
    assert kept == sorted([f"{consent['photo']['id']}.jpg", f"{consent['photo']['id']}.thumb.jpg"])
    assert staff_client.get(orphan["url"]).status_code == 404
    assert staff_client.get(consent["photo"]["url"]).status_code == 200


# S3-compatible storage, against moto's standalone server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(app, s3_endpoint, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    bucket = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket.create_bucket(Bucket="photos")
    app.config["FILES_STORAGE_URL"] = f"s3://photos/community-cloud?endpoint_url={s3_endpoint}"
    app.extensions.pop("files_storage", None)
    yield bucket
    for item in bucket.list_objects_v2(Bucket="photos").get("Contents", []):
        bucket.delete_object(Bucket="photos", Key=item["Key"])
    bucket.delete_bucket(Bucket="photos")


def _keys(bucket) -> list[str]:
    return sorted(item["Key"] for item in bucket.list_objects_v2(Bucket="photos").get("Contents", []))


def test_s3_storage_round_trip(s3, staff_client, community):
    photo = upload(staff_client, community, jpeg((2400, 1200))).json
    assert _keys(s3) == [f"community-cloud/{community.id}/{photo['id']}.jpg",
                         f"community-cloud/{community.id}/{photo['id']}.thumb.jpg"]
    assert stored_image(staff_client, photo).size == (1600, 800)
    assert stored_image(staff_client, photo, thumb=True).size == (320, 160)
    assert sweep_orphans(utcnow() + timedelta(hours=25)) == 1
    assert _keys(s3) == [] and count() == 0
