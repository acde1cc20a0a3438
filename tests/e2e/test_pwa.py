"""Installable and offline: the manifest, the service worker, and a reload with no network."""
import struct

from playwright.sync_api import expect

from tests.e2e.conftest import register_api, wait_for_sw_control


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_manifest_is_valid_and_installable(page):
    page.goto("/login")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.context.request.get(href).json()
    assert manifest["name"] == "社区云"
    assert manifest["short_name"] == "社区云"
    assert manifest["lang"] == "zh-CN"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] and manifest["background_color"]
    purposes = set()
    for icon in manifest["icons"]:
        body = page.context.request.get(icon["src"]).body()
        w, h = png_size(body)
        assert f"{w}x{h}" == icon["sizes"]
        purposes.add(icon["purpose"])
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    assert "maskable" in purposes
    wait_for_sw_control(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Test contexts are incognito-like, where Chromium never offers to install; anything else is ours.
    errors = [e for e in errors if e["errorId"] != "in-incognito"]
    assert errors == [], errors


def test_service_worker_controls_the_page(page):
    page.goto("/login")
    wait_for_sw_control(page)
    script = page.evaluate("() => navigator.serviceWorker.controller.scriptURL")
    assert script.endswith("/sw.js")


def test_offline_reload_shows_the_shell_and_cached_data(page):
    register_api(page.context, "林玉梅")
    page.goto("/")
    expect(page.get_by_text("您好，林玉梅")).to_be_visible()
    wait_for_sw_control(page)
    expect(page.get_by_text("您好，林玉梅")).to_be_visible()
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("offline-bar")).to_be_visible()
    expect(page.get_by_text("您好，林玉梅")).to_be_visible()
    expect(page.locator(".status-tag[data-status=verified]")).to_be_visible()
    page.goto("/me")  # another history-mode route, served by the worker
    expect(page.get_by_test_id("me-name")).to_have_text("林玉梅")
    page.context.set_offline(False)


def test_api_is_never_answered_by_the_app_shell(page):
    page.goto("/login")
    wait_for_sw_control(page)
    status = page.evaluate("() => fetch('/api/v1/nope', {headers: {Accept: 'application/json'}}).then(r => r.status)")
    assert status == 404
    nav = page.goto("/api/v1/auth/me")
    assert nav.status == 401


def test_app_runs_under_the_servers_csp(page):
    """No resource is blocked by the Content-Security-Policy (icon font, boot script, styles)."""
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    register_api(page.context, "曾永刚")
    page.goto("/")
    expect(page.get_by_text("您好，曾永刚")).to_be_visible()
    page.goto("/me")
    expect(page.get_by_test_id("me-name")).to_be_visible()
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px cc-vant-icon')")
    assert blocked == [], blocked
