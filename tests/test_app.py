"""The house rules every endpoint shares: error shape, headers, rate limits, health, docs, the PWA files."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backend import create_app
from tests import factories
from tests.conftest import TEST_CONFIG, WORKER

ROOT = Path(__file__).resolve().parents[1]


def test_unknown_api_path_is_json_404(client):
    r = client.get("/api/v1/nowhere")
    assert r.status_code == 404
    assert r.json == {"code": "not_found", "status": 404, "message": r.json["message"], "errors": {}}


def test_wrong_method_is_json_405(client):
    r = client.delete("/api/v1/auth/login")
    assert r.status_code == 405 and r.json["code"] == "method_not_allowed"


def test_malformed_json_is_a_clear_error(client):
    r = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.json["code"] == "bad_json"


def test_non_object_json_is_422(client):
    r = client.post("/api/v1/auth/login", json=["13800000000", "pw"])
    assert r.status_code == 422 and r.json["code"] == "validation_failed"


def test_security_headers_on_every_response(client):
    for path in ("/api/v1/communities", "/api/v1/nowhere", "/healthz"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, resident):
    r = client.post("/api/v1/auth/login", json={"phone": resident.phone, "password": factories.PASSWORD})
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_debug(database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": True})
    assert create_app().config["SESSION_COOKIE_SECURE"] is True
    csrf = app.test_client().get("/api/v1/auth/csrf").headers["Set-Cookie"]
    assert "Secure" in csrf and "HttpOnly" not in csrf


def test_health_checks_the_database(client, tmp_path):
    assert client.get("/healthz").json == {"status": "ok"}
    # A database that cannot be opened (a folder that is not there): 503, for the balancer to look elsewhere.
    gone = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'gone' / 'app.db'}"})
    r = gone.test_client().get("/healthz")
    assert r.status_code == 503 and r.json["code"] == "database_unavailable"


def test_openapi_describes_the_api(client):
    spec = client.get("/api/openapi.json").json
    assert "/api/v1/auth/login" in spec["paths"]
    assert spec["paths"]["/api/v1/auth/login"]["post"]["summary"] == "Log in with phone and password."


def test_api_docs_load_everything_from_the_app(client):
    """No CDN: every script and style the docs page names is served here, and the CSP allows no other host."""
    page = client.get("/api/docs")
    assert page.status_code == 200 and "https://" not in page.headers["Content-Security-Policy"]
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page.text)
    assert len(assets) == 3
    for url in assets:
        assert url.startswith("/api/docs/ui/")
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.data) > 1000, url


@pytest.fixture(params=["memory", "redis"])
def limited_client(database_url, request):
    # Each pytest-xdist worker counts in a Redis database of its own: a reset clears the whole database.
    storage = "memory://" if request.param == "memory" else f"redis://127.0.0.1:6379/{15 - int(WORKER[2:] or 0)}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                      "AUTH_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": storage})
    from backend.extensions import limiter
    limiter.reset()
    with app.app_context():
        yield app.test_client()
    limiter.reset()


def test_login_is_rate_limited(limited_client):
    limited_client.get("/api/v1/auth/csrf")
    token = limited_client.get_cookie("csrf_token").value
    codes = [limited_client.post("/api/v1/auth/login", headers={"X-CSRF-Token": token},
                                 json={"phone": "13800000000", "password": "wrong-pass"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    r = limited_client.post("/api/v1/auth/register", headers={"X-CSRF-Token": token}, json={})
    assert r.status_code == 422  # each endpoint has its own allowance
    r = limited_client.post("/api/v1/auth/login", headers={"X-CSRF-Token": token}, json={})
    assert r.status_code == 429 and r.json["code"] == "rate_limited" and "Retry-After" in r.headers


def test_pwa_files_and_history_fallback(tmp_path, database_url):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>社区云</title>")
    (tmp_path / "sw.js").write_text("self.addEventListener('push', () => {})")
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log('社区云');\n" * 200)
    subprocess.run([sys.executable, "-m", "whitenoise.compress", "-q", str(tmp_path)], check=True)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "PWA_DIST": tmp_path})
    client = app.test_client()
    route = client.get("/me/settings")
    assert route.status_code == 200 and "社区云" in route.text and "no-cache" in route.headers["Cache-Control"]
    worker = client.get("/sw.js")
    assert "no-cache" in worker.headers["Cache-Control"] and "worker-src" in worker.headers["Content-Security-Policy"]
    assert client.get("/index.html").status_code == 200
    plain = client.get("/assets/app-1a2b.js")
    assert "immutable" in plain.headers["Cache-Control"] and "Content-Encoding" not in plain.headers
    for encoding in ("br", "gzip"):
        packed = client.get("/assets/app-1a2b.js", headers={"Accept-Encoding": f"{encoding}, identity"})
        assert packed.headers["Content-Encoding"] == encoding and "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.data) < len(plain.data) / 10 and packed.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/assets/missing-9z.js").status_code == 404
    (tmp_path / "assets" / "rebuilt-3c4d.js").write_text("console.log(2)")  # built while the server runs
    assert client.get("/assets/rebuilt-3c4d.js").text == "console.log(2)"
    assert client.get("/api/v1/unknown").json["code"] == "not_found"


def test_ids_too_large_for_the_database_are_not_a_500(staff_client, community):
    huge = 2**40
    assert staff_client.get(f"/api/v1/communities/{huge}/grids").status_code == 404
    r = staff_client.get(f"/api/v1/communities/{community.id}/dwellings?building_id={huge}")
    assert r.status_code == 422 and "building_id" in r.json["errors"]
    r = staff_client.post(f"/api/v1/communities/{community.id}/invites", json={"dwelling_id": huge})
    assert r.status_code == 422 and "dwelling_id" in r.json["errors"]


def test_openapi_keeps_integer_path_ids(client):
    spec = client.get("/api/openapi.json").json
    [param] = [p for p in spec["paths"]["/api/v1/communities/{community_id}/grids"]["parameters"]
               if p["name"] == "community_id"]
    assert param["schema"]["type"] == "integer"


def test_web_workers_load_the_search_dictionary_at_start():
    check = ("import runpy, jieba; hooks = runpy.run_path('gunicorn.conf.py'); before = jieba.dt.initialized; "
             "hooks['when_ready'](None); print(hooks['preload_app'], before, jieba.dt.initialized)")
    out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "True"]
