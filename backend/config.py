"""Settings from the environment, with safe defaults for the embedded run."""
import os
import secrets
from pathlib import Path

INSTANCE = Path(os.environ.get("INSTANCE_PATH", Path(__file__).resolve().parent.parent / "instance"))


def _secret_key() -> str:
    """A key made once and kept under instance/, so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'community.db'}")
    # A server can drop idle connections; a file cannot. They are renewed before a firewall or the server's idle
    # timeout would drop them, not pinged on every checkout (a round trip on every request); after a server
    # restart the first request to find its connection gone fails, and the pool starts afresh.
    SQLALCHEMY_ENGINE_OPTIONS = {} if SQLALCHEMY_DATABASE_URI.startswith("sqlite") else {"pool_recycle": 300}
    DEBUG = os.environ.get("FLASK_DEBUG") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("COOKIE_SECURE", "1" if not DEBUG else "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not mean nobody can log in: count in memory until it is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute; 100 per hour")
    # Failures only, per phone (known or not) and per logged-in user guessing invite codes.
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "10 per 15 minutes")
    INVITE_FAILURE_LIMIT = os.environ.get("INVITE_FAILURE_LIMIT", "10 per hour")
    # A desk-issued password reset code: how long it lasts, and how many wrong tries void it.
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES", "30"))
    PASSWORD_RESET_TRIES = 5
    # Text messages (backend/sms/): console (the log shows them; the embedded run), aliyun or tencent. The key
    # pair is the provider's AccessKey (Aliyun) or SecretId/SecretKey (Tencent); Tencent also needs the
    # SmsSdkAppId. Templates are the ids the provider approved; SMS_ENDPOINT overrides the provider's host
    # (a URL, http:// allowed, for a private gateway or a test server).
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "console")
    SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID", "")
    SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET", "")
    SMS_SDK_APP_ID = os.environ.get("SMS_SDK_APP_ID", "")
    SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
    SMS_TEMPLATE_LOGIN = os.environ.get("SMS_TEMPLATE_LOGIN", "")
    SMS_TEMPLATE_RESET = os.environ.get("SMS_TEMPLATE_RESET", "")
    SMS_TEMPLATE_NOTICE = os.environ.get("SMS_TEMPLATE_NOTICE", "")
    SMS_REGION = os.environ.get("SMS_REGION", "")  # cn-hangzhou (Aliyun) / ap-guangzhou (Tencent) when empty
    SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "")
    SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))
    # Login and reset codes by SMS: six digits for SMS_CODE_MINUTES and SMS_CODE_TRIES tries; per phone one
    # every SMS_RESEND_SECONDS and SMS_PHONE_HOURLY an hour; per address SMS_ADDRESS_LIMIT.
    SMS_CODE_MINUTES = int(os.environ.get("SMS_CODE_MINUTES", "5"))
    SMS_CODE_TRIES = 5
    SMS_RESEND_SECONDS = int(os.environ.get("SMS_RESEND_SECONDS", "60"))
    SMS_PHONE_HOURLY = int(os.environ.get("SMS_PHONE_HOURLY", "5"))
    SMS_ADDRESS_LIMIT = os.environ.get("SMS_ADDRESS_LIMIT", "5 per minute; 20 per hour")
    # Urgent notices are texted to addressed residents with no push device: at most SMS_NOTICE_CAP per notice
    # and SMS_MONTHLY_BUDGET a month per community, unless its staff set their own (up to SMS_BUDGET_MAX).
    SMS_MONTHLY_BUDGET = int(os.environ.get("SMS_MONTHLY_BUDGET", "1000"))
    SMS_NOTICE_CAP = int(os.environ.get("SMS_NOTICE_CAP", "300"))
    SMS_BUDGET_MAX = int(os.environ.get("SMS_BUDGET_MAX", "100000"))
    # The worker hands notice texts over SMS_BATCH_SIZE at a time, SMS_CONCURRENCY requests at once; a batch
    # it has not settled after SMS_LEASE_SECONDS is marked failed, never sent again (the provider may have had it).
    SMS_BATCH_SIZE = int(os.environ.get("SMS_BATCH_SIZE", "40"))
    SMS_CONCURRENCY = int(os.environ.get("SMS_CONCURRENCY", "8"))
    SMS_LEASE_SECONDS = int(os.environ.get("SMS_LEASE_SECONDS", "600"))
    SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "3"))
    SMS_RETRY_SECONDS = int(os.environ.get("SMS_RETRY_SECONDS", "300"))
    # Reverse proxies in front of gunicorn whose X-Forwarded-For is trusted; 0 ignores the header.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # gunicorn's own worker count setting: memory rate limits are counted per worker.
    WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "1"))
    API_TITLE = "Community Cloud API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/ui/"  # served from the swagger-ui-bundle package (backend/web.py)
    PWA_DIST = Path(os.environ.get("PWA_DIST", Path(__file__).resolve().parent.parent / "pwa" / "dist"))
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@community.example")
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")  # else made once under instance/
    PUSH_BATCH_SIZE = int(os.environ.get("PUSH_BATCH_SIZE", "200"))
    PUSH_CONCURRENCY = int(os.environ.get("PUSH_CONCURRENCY", "32"))
    PUSH_TIMEOUT_SECONDS = float(os.environ.get("PUSH_TIMEOUT_SECONDS", "10"))
    # How long a worker holds claimed deliveries; it renews them as they go on the wire and cuts a batch
    # off before the lease ends, so a lapsed lease means the holder died (backend/push/sender.py).
    PUSH_LEASE_SECONDS = int(os.environ.get("PUSH_LEASE_SECONDS", "30"))
    PUSH_MAX_ATTEMPTS = int(os.environ.get("PUSH_MAX_ATTEMPTS", "6"))
    PUSH_RETRY_BASE_SECONDS = int(os.environ.get("PUSH_RETRY_BASE_SECONDS", "30"))
    # Settled deliveries (and messages left with none) older than this are deleted by the worker, which looks
    # every PUSH_PRUNE_INTERVAL_SECONDS and deletes PUSH_PRUNE_BATCH rows per transaction.
    PUSH_RETENTION_DAYS = float(os.environ.get("PUSH_RETENTION_DAYS", "30"))
    PUSH_PRUNE_INTERVAL_SECONDS = float(os.environ.get("PUSH_PRUNE_INTERVAL_SECONDS", "3600"))
    PUSH_PRUNE_BATCH = int(os.environ.get("PUSH_PRUNE_BATCH", "1000"))
    # Logged searches (backend/search/logs.py) are deleted by the worker after this many days.
    SEARCH_LOG_DAYS = float(os.environ.get("SEARCH_LOG_DAYS", "180"))
    # Push services the worker may post to, matched on dot boundaries (backend/push/endpoints.py).
    PUSH_ALLOWED_HOSTS = os.environ.get("PUSH_ALLOWED_HOSTS", "fcm.googleapis.com,android.googleapis.com,"
                                        "push.services.mozilla.com,push.apple.com,notify.windows.com")
    PUSH_ALLOW_INSECURE_ENDPOINTS = False  # tests only (http and loopback): ignored unless TESTING
    INSTANCE_PATH = INSTANCE
    MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # Bodies: 12 MB in all (room for the photo uploads to come), 1 MB for JSON, refused by size before reading.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(12 * 1024 * 1024)))
    MAX_JSON_BYTES = int(os.environ.get("MAX_JSON_BYTES", str(1024 * 1024)))
    # Uploaded photos (backend/files/): the largest file and picture taken, and where the copies are kept.
    FILES_MAX_BYTES = int(os.environ.get("FILES_MAX_BYTES", str(10 * 1024 * 1024)))
    FILES_MAX_PIXELS = int(os.environ.get("FILES_MAX_PIXELS", str(40_000_000)))
    # Empty: a folder (FILES_FOLDER, else instance/files). s3://bucket/prefix?endpoint_url=...&region=...: any
    # S3-compatible store, with credentials from the usual AWS_* variables.
    FILES_STORAGE_URL = os.environ.get("FILES_STORAGE_URL", "")
    FILES_FOLDER = os.environ.get("FILES_FOLDER", "")
    # Uploads no row has claimed after this long are deleted by the worker.
    FILES_ORPHAN_HOURS = float(os.environ.get("FILES_ORPHAN_HOURS", "24"))
