"""First paint of the built PWA on a phone over slow 4G: LCP, FCP, blocking time and bytes of JS and CSS.

    make pwa/dist/index.html   # once: this script builds nothing
    .venv/bin/python -m tests.bench.bench_firstpaint [--runs 3] [--pages / /guide /notices] [--lighthouse-latency]
                                                     [--dist pwa/dist] [--lighthouse PATH]

Serves pwa/dist as the browser tests do (gunicorn over a freshly seeded SQLite database), logs the demo
resident in, and opens each page with a cold cache in a fresh phone-sized Chromium context, the network
throttled through the DevTools protocol (Lighthouse's slow 4G: 150 ms, 1.6 Mbit/s down, 750 kbit/s up)
and the CPU slowed four times. `--lighthouse-latency` applies what Lighthouse itself applies when it
throttles through DevTools: 562.5 ms a request (its 150 ms round trip times the round trips of a new
connection), 90 % of the bandwidth. Prints the median of the runs for each page. Goal: LCP ≤ 2.5 s.

The service worker is blocked: on a first visit it precaches every screen's code while the page loads,
from a target of its own that the page's throttling need not cover, and the figures would depend on it.
`--lighthouse PATH` also runs Lighthouse (mobile, its default simulated slow 4G) on each page as the logged-in
resident and prints its performance score and LCP: `npm i lighthouse` anywhere outside the project and give
the path of its `node_modules/.bin/lighthouse`. Not part of `make test`: no timed assertions.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DIST, PHONE_VIEWPORT, ROOT, _free_port, _wait_for, api_call

SLOW_4G = {"latency": 150, "down_kbps": 1.6 * 1024, "up_kbps": 750}
# Lighthouse's DevTools throttling for the same profile (lighthouse-core/config/constants.js).
SLOW_4G_DEVTOOLS = {"latency": 150 * 3.75, "down_kbps": 1.6 * 1024 * 0.9, "up_kbps": 750 * 0.9}
CPU_SLOWDOWN = 4

# Runs in the page before its own scripts: what the browser reports while the page loads.
OBSERVE = """
window.__firstPaint = { lcp: 0, lcpElement: '', longTasks: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const el = e.element;
    window.__firstPaint.lcp = e.startTime;
    window.__firstPaint.lcpElement = el
      ? `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} ` +
        `"${(el.textContent || '').trim().slice(0, 24)}"`
      : e.url || '(a text since taken off the page)';
  }
}).observe({ type: 'largest-contentful-paint', buffered: true });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__firstPaint.longTasks.push([e.startTime, e.duration]);
}).observe({ type: 'longtask', buffered: true });
"""
COLLECT = """() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const bytes = { js: 0, css: 0 };
  for (const r of performance.getEntriesByType('resource')) {
    const path = new URL(r.name).pathname;
    if (path.endsWith('.js')) bytes.js += r.transferSize;
    else if (path.endsWith('.css')) bytes.css += r.transferSize;
  }
  return { ...window.__firstPaint, fcp: fcp ? fcp.startTime : null, bytes, path: location.pathname };
}"""


@contextmanager
def serve(dist: Path):
    """The app under gunicorn over a freshly seeded database, as tests/e2e/conftest.py starts it."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-firstpaint-"))
    env = {**os.environ, "INSTANCE_PATH": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
           "FLASK_APP": "backend:create_app", "COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0",
           "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "PWA_DIST": str(dist)}
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
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(f"{url}/healthz", proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a keep-alive connection can hold a graceful stop
                proc.kill()
                proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)


def blocking_time(long_tasks: list, fcp: float) -> float:
    """Total blocking time after the first contentful paint: each long task's time beyond 50 ms.
    An estimate: Lighthouse stops counting at time to interactive, this at the end of the measurement."""
    total = 0.0
    for start, duration in long_tasks:
        end = start + duration
        start = max(start, fcp)
        if end - start > 50:
            total += end - start - 50
    return total


def measure(browser, base_url: str, path: str, network: dict) -> dict:
    """One cold load of `path` by the logged-in demo resident."""
    from backend.demo import PASSWORD, RESIDENT
    context = browser.new_context(base_url=base_url, viewport=PHONE_VIEWPORT, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  service_workers="block")
    try:
        api_call(context, "POST", "/auth/login", {"phone": RESIDENT[0], "password": PASSWORD})
        page = context.new_page()
        encodings = set()
        page.on("response", lambda r: encodings.add(r.headers.get("content-encoding", "none"))
                if urlsplit(r.url).path.endswith((".js", ".css")) else None)
        page.add_init_script(OBSERVE)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": network["latency"],
            "downloadThroughput": network["down_kbps"] * 1024 / 8,
            "uploadThroughput": network["up_kbps"] * 1024 / 8})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(path, timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_timeout(1000)  # a last paint after the last response
        result = page.evaluate(COLLECT)
    finally:
        context.close()
    result["tbt"] = blocking_time(result["longTasks"], result["fcp"] or 0)
    # Also from the start: a placeholder painted sooner moves the app's start-up into the TBT window.
    result["blocked"] = blocking_time(result["longTasks"], 0)
    result["encodings"] = encodings
    return result


def lighthouse(binary: str, base_url: str, path: str) -> tuple[float, float]:
    """Lighthouse's performance score (0–100) and LCP (ms) for `path`, as the logged-in demo resident."""
    import requests

    from backend.demo import PASSWORD, RESIDENT
    http = requests.Session()
    http.get(f"{base_url}/api/v1/auth/csrf", timeout=30)
    http.post(f"{base_url}/api/v1/auth/login", json={"phone": RESIDENT[0], "password": PASSWORD},
              headers={"X-CSRF-Token": http.cookies.get("csrf_token", "")}, timeout=30).raise_for_status()
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    out = subprocess.run([binary, base_url + path, "--only-categories=performance", "--output=json",
                          "--output-path=stdout", "--quiet", f"--chrome-flags={flags}",
                          f"--extra-headers={json.dumps({'Cookie': cookie})}"],
                         env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    return (found["categories"]["performance"]["score"] * 100,
            found["audits"]["largest-contentful-paint"]["numericValue"])


def report(path: str, runs: list[dict]) -> None:
    def med(key):
        return statistics.median(r[key] for r in runs)

    lcps = sorted(r["lcp"] for r in runs)
    js, css = (statistics.median(r["bytes"][kind] for r in runs) / 1024 for kind in ("js", "css"))
    last = runs[-1]
    note = "" if last["path"] == path else f"  (landed on {last['path']})"
    print(f"{path:<9} LCP {med('lcp'):6.0f} ms ({lcps[0]:.0f}–{lcps[-1]:.0f})  FCP {med('fcp'):6.0f} ms  "
          f"TBT ~{med('tbt'):5.0f} ms (from start {med('blocked'):4.0f})  JS {js:6.1f} KB  CSS {css:5.1f} KB{note}")
    print(f"{'':<9} LCP element: {last['lcpElement']}; JS/CSS sent as: {', '.join(sorted(last['encodings']))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=["/", "/guide", "/notices"])
    parser.add_argument("--dist", type=Path, default=DIST, help="a build to serve (default pwa/dist)")
    parser.add_argument("--lighthouse", metavar="PATH", help="a Lighthouse CLI to run on each page as well")
    parser.add_argument("--lighthouse-latency", action="store_true",
                        help="Lighthouse's DevTools-throttling values: 562.5 ms a request, 90 %% bandwidth")
    opts = parser.parse_args()
    if not (opts.dist / "index.html").is_file():
        sys.exit("pwa/dist is missing: run `make pwa/dist/index.html` first")
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    network = SLOW_4G_DEVTOOLS if opts.lighthouse_latency else SLOW_4G
    print(f"{network['latency']:.1f} ms a request, {network['down_kbps']:.0f}/{network['up_kbps']:.0f} kbit/s, "
          f"CPU {CPU_SLOWDOWN}x slower, median of {opts.runs} cold loads of {opts.dist}")
    with serve(opts.dist.resolve()) as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in opts.pages:
                report(path, [measure(browser, base_url, path, network) for _ in range(opts.runs)])
                if opts.lighthouse:
                    found = [lighthouse(opts.lighthouse, base_url, path) for _ in range(opts.runs)]
                    scores, lcps = sorted(f[0] for f in found), sorted(f[1] for f in found)
                    print(f"{'':<9} Lighthouse performance {statistics.median(scores):.0f} ({scores[0]:.0f}–"
                          f"{scores[-1]:.0f}), LCP {statistics.median(lcps):.0f} ms ({lcps[0]:.0f}–{lcps[-1]:.0f})")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
