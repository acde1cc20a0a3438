"""Where the bytes live, behind put/get/delete: a folder (the embedded run) or any S3-compatible store."""
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from flask import current_app


class Missing(Exception):
    """No object has this key."""


class FolderStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """s3://bucket/prefix?endpoint_url=http://minio:9000&region=cn-north-1 (MinIO, moto, a cloud bucket)."""

    def __init__(self, url: str):
        import boto3
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.client = boto3.client("s3", endpoint_url=query.get("endpoint_url"),
                                   region_name=query.get("region", "us-east-1"))

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType="image/jpeg")

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def make_storage(config) -> FolderStorage | S3Storage:
    url = config["FILES_STORAGE_URL"]
    if url.startswith("s3://"):
        return S3Storage(url)
    if url:
        raise ValueError("FILES_STORAGE_URL must be an s3:// URL (or empty for a folder)")
    return FolderStorage(config["FILES_FOLDER"] or Path(current_app.instance_path) / "files")


def storage() -> FolderStorage | S3Storage:
    """The app's storage, made once per app (a boto3 client is costly to build and safe to share)."""
    if "files_storage" not in current_app.extensions:
        current_app.extensions["files_storage"] = make_storage(current_app.config)
    return current_app.extensions["files_storage"]
