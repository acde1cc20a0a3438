"""GET /api/v1/auth/me (logged in) against a bare "hello JSON" Flask app, both under gunicorn
with the Procfile's settings, in one run. Prints requests/s, p50 and p95 for each, and the ratio.

    .venv/bin/python -m tests.bench.bench_auth [--seconds 10] [--connections 8]

Needs wrk (apt-get install -y wrk); without it a slower Python client is used.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f\\n", summary.requests / (summary.duration / 1e6),
           latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(app: str, env: dict) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the Procfile's web settings."""
    port = free_port()
    procfile = (ROOT / "Procfile").read_text()
    # The web line: environment defaults, then gunicorn and its settings, then the app.
    args = re.search(r"^web: .*?gunicorn (.*) \"backend:create_app\(\)\"$", procfile, re.M).group(1)
    args = args.replace("${PORT:-8000}", str(port)).replace("${WEB_CONCURRENCY:-3}", "3")
    args = args.replace("--access-logfile -", "")
    # gunicorn.conf.py's hooks are the project's (its app and database): the bare app runs without them.
    config = [] if app.startswith("backend:") else ["--config", "python:tests.bench.hello_app"]
    proc = subprocess.Popen([str(BIN / "gunicorn"), *args.split(), *config, app], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(url + "/healthz", timeout=2)
            return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn for {app} did not start")


# One browser: the one that logged in polls. With another User-Agent Flask-Login's session protection marks the
# session not fresh on every request, and each answer then signs a new cookie (which wrk never keeps).
USER_AGENT = "Mozilla/5.0 (Linux; Android 10) bench"


def measure_wrk(url: str, cookie: str, seconds: int, connections: int,
                headers: dict | None = None) -> tuple[float, float, float]:
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", f.name, "-H", f"Cookie: {cookie}",
                          "-H", f"User-Agent: {USER_AGENT}", *extra, url], capture_output=True, text=True,
                         check=True).stdout
    rps, p50, p95 = map(float, re.search(r"RESULT (\S+) (\S+) (\S+)", out).groups())
    return rps, p50, p95


def measure_python(url: str, cookie: str, seconds: int, connections: int,
                   headers: dict | None = None) -> tuple[float, float, float]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    def client():
        with requests.Session() as s:
            while time.monotonic() < stop:
                t = time.perf_counter()
                s.get(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT, **(headers or {})}).raise_for_status()
                latencies.append((time.perf_counter() - t) * 1000)
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49], q[94]


def prepare_database(env: dict) -> None:
    for cmd in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *cmd], cwd=ROOT, env=env, check=True, capture_output=True)


def login_cookie(url: str, phone: str = "13900000001", password: str = "demo1234") -> str:
    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    s.get(url + "/api/v1/auth/csrf")
    r = s.post(url + "/api/v1/auth/login", json={"phone": phone, "password": password},
               headers={"X-CSRF-Token": s.cookies["csrf_token"]})
    r.raise_for_status()
    return "; ".join(f"{k}={v}" for k, v in s.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    opts = parser.parse_args()
    measure = measure_wrk if shutil.which("wrk") else measure_python
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "FLASK_APP": "backend:create_app", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
           "INSTANCE_PATH": tmp, "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    prepare_database(env)
    app_proc, app_url = gunicorn("backend:create_app()", env)
    hello_proc, hello_url = gunicorn("tests.bench.hello_app:app", env)
    try:
        cookie = login_cookie(app_url)
        assert requests.get(app_url + "/api/v1/auth/me", headers={"Cookie": cookie}).status_code == 200
        measure(hello_url + "/hello", "", 2, opts.connections)  # warm up both
        measure(app_url + "/api/v1/auth/me", cookie, 2, opts.connections)
        hello = measure(hello_url + "/hello", "", opts.seconds, opts.connections)
        me = measure(app_url + "/api/v1/auth/me", cookie, opts.seconds, opts.connections)
        # The same app on a route without the database: how much is the stack, how much the queries.
        csrf = measure(app_url + "/api/v1/auth/csrf", cookie, opts.seconds, opts.connections)
    finally:
        app_proc.terminate()
        hello_proc.terminate()
    print(f"client: {measure.__name__}, {opts.connections} connections, {opts.seconds}s each, SQLite")
    for name, (rps, p50, p95) in (("hello JSON", hello), ("GET /auth/me", me), ("GET /auth/csrf", csrf)):
        print(f"{name:14} {rps:8.0f} req/s   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
    print(f"ratio /auth/me ÷ hello: {me[0] / hello[0]:.0%} of the requests/s")
    print(f"ratio /auth/csrf ÷ hello: {csrf[0] / hello[0]:.0%} (session, CSRF, headers; no database)")


if __name__ == "__main__":
    main()
