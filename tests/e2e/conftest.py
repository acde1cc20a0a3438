"""Browser tests: the built PWA served by gunicorn over a fresh seeded SQLite database,
driven by the system Chromium through Playwright."""
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "pwa" / "dist"
AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE_VIEWPORT = {"width": 390, "height": 844}
DEMO_PASSWORD = "demo1234"  # the seeded demo users only: too easy for a new account
NEW_PASSWORD = "Neighbour-2026"
STAFF_PHONE = "13800000001"
ADMIN_PHONE = "13800000000"
DESK_PASSWORD = "Duty-desk-2026"
INVITE_CODE = "XFL2026A"
_phones = itertools.count(1)
SERVER_LOGS: list[Path] = []  # where the server of this run writes its log


def new_phone() -> str:
    """A phone number no other test in this run uses."""
    return f"137{os.getpid() % 10000:04d}{next(_phones):04d}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as res:
                if res.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


@contextmanager
def serve_app(tmp: Path):
    """http://127.0.0.1:<port> of a gunicorn serving the app over a freshly seeded database in `tmp`."""
    if not (DIST / "index.html").is_file():
        pytest.fail("pwa/dist is missing: run `cd pwa && npm ci && npm run build` first")
    env = {**os.environ, "INSTANCE_PATH": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
           "FLASK_APP": "backend:create_app", "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0",
           "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "PWA_DIST": str(DIST)}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "flask", "seed-demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = _free_port()
    with open(tmp / "gunicorn.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--threads", "8", "backend:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        # Published notices are addressed by the worker; only that job runs, so nothing leaves the machine.
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--job", "address_notices", "--idle-sleep", "0.2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{url}/healthz", proc)
            yield url
        finally:
            worker.terminate()
            worker.wait(timeout=10)
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # a browser's keep-alive connection can hold a graceful stop
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    """The server most browser tests share, over the demo community."""
    tmp = tmp_path_factory.mktemp("e2e")
    SERVER_LOGS.append(tmp / "gunicorn.log")
    with serve_app(tmp) as url:
        yield url


@pytest.fixture(scope="session")
def server_log(base_url) -> Path:
    """The server's log file: the console SMS provider writes there the texts it would send."""
    return SERVER_LOGS[-1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright_api.sync_playwright() as p:
        p.selectors.set_test_id_attribute("data-test")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, base_url):
    """Make phone-sized browser contexts (each its own cookies, storage and service worker)."""
    contexts = []

    def make(**options):
        ctx = browser.new_context(
            base_url=base_url, viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
            has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


SETTLE = """() => Promise.all(document.getAnimations()
    .filter(a => a.playState === 'running' && a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def settle(page) -> None:
    """Wait until the transitions under way (a dialog popping up, a toast fading in) have finished: a
    half-faded text is neither what the user reads nor a fair contrast check. Endless ones (spinners) are
    not waited for."""
    page.wait_for_timeout(100)  # a transition a click set off a moment ago has started by now
    page.evaluate(SETTLE)


def shot(page, name: str) -> None:
    """Save a screenshot of what the user sees now under tests/e2e/screenshots/."""
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(250)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def check_a11y(page, screen: str) -> None:
    """axe-core on the current screen: no serious or critical violations."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text())  # evaluated by the driver, so the app's CSP still applies to the app
    settle(page)
    result = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
               "nodes": [n["target"] for n in v["nodes"][:5]]} for v in bad]
    assert not bad, f"{screen}: {json.dumps(report, ensure_ascii=False, indent=1)}"


def api_call(context, method: str, path: str, data=None):
    """Call the API inside a browser context's session, CSRF header included, as the app does."""
    request = context.request
    request.get("/api/v1/auth/csrf")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrf_token")
    res = request.fetch(f"/api/v1{path}", method=method, data=data,
                        headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert res.ok, f"{method} {path} -> {res.status} {res.text()}"
    return res.json() if res.status != 204 else None


def wait_sent(context, notice_id: int, community_id: int = 1, seconds: float = 20) -> None:
    """Until the worker has addressed the published notice (or sent its latest reminder)."""
    deadline = time.monotonic() + seconds
    path = f"/communities/{community_id}/notices/manage/{notice_id}/progress"
    while api_call(context, "GET", path)["status"] != "done":
        assert time.monotonic() < deadline, f"notice {notice_id} was not sent in {seconds}s"
        time.sleep(0.1)


def facility_count(context) -> int:
    """How many facilities the demo community lists now (staff tests add some as they run)."""
    return len(context.request.get("/api/v1/communities/1/facilities").json())


def login_ui(page, phone: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.locator("input[name=phone]").fill(phone)
    page.locator("input[name=password]").fill(password)
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def new_staff(context, name: str = "郑晓燕", password: str = DESK_PASSWORD, title: str = "居委会委员") -> str:
    """A staff member of the demo community for this test alone: what it sets on its own profile (care mode,
    language, chosen before logging in) reaches no other test, as it would if it were the shared demo staff."""
    api_call(context, "POST", "/auth/login", {"phone": ADMIN_PHONE, "password": DEMO_PASSWORD})
    phone = new_phone()
    api_call(context, "POST", "/admin/communities/1/staff",
             {"phone": phone, "name": name, "password": password, "title": title})
    api_call(context, "POST", "/auth/logout")
    return phone


def register_api(context, name: str, care: bool = False, locale: str = "zh-CN") -> dict:
    """A verified resident (by the demo invite code), logged in within this context."""
    me = api_call(context, "POST", "/auth/register", {
        "phone": new_phone(), "password": NEW_PASSWORD, "name": name,
        "community_id": 1, "invite_code": INVITE_CODE})
    if care or locale != "zh-CN":
        me = api_call(context, "PATCH", "/auth/me", {"care_mode": care, "locale": locale})
    return me


def wait_for_sw_control(page) -> None:
    """Wait until a service worker controls the page (reloading once after first install)."""
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
        page.wait_for_function("() => !!navigator.serviceWorker.controller")
