"""Every routed screen, visited as the role it is for, in one browser: one heading level 1 (the nav bar's
title), the nav bar and tab bar inside landmarks, axe-core with no violation of any impact, and tap targets
of at least 44 × 44 px in normal mode. A route added to the router without a visit here fails the test.
Also: the offline banner's words per screen, one banner at a time, and a confirm dialog's name."""
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ADMIN_PHONE,
    AXE,
    DEMO_PASSWORD,
    DESK_PASSWORD,
    ROOT,
    api_call,
    login_ui,
    new_staff,
    register_api,
    settle,
    wait_sent,
)

ROUTER = ROOT / "pwa" / "src" / "router.ts"
MIN_TARGET = 44

# Route pattern (as written in router.ts) → (who visits it, the URL visited). Ids are the demo community's.
SCREENS: dict[str, tuple[str, str]] = {
    "/login": ("guest", "/login"),
    "/reset-password": ("guest", "/reset-password"),
    "/browse": ("guest", "/browse"),
    "/register": ("guest", "/register"),
    "/verify/:code?": ("guest", "/verify"),
    "/polls/:id/code": ("guest", "/polls/1/code"),
    "/": ("resident", "/"),
    "/me": ("resident", "/me"),
    "/me/password": ("resident", "/me/password"),
    "/me/homes/new": ("resident", "/me/homes/new"),
    "/me/push": ("resident", "/me/push"),
    "/guide": ("resident", "/guide"),
    "/guide/categories/:id": ("resident", "/guide/categories/1"),
    "/guide/items/:id": ("resident", "/guide/items/1"),
    "/facilities": ("resident", "/facilities"),
    "/facilities/:id": ("resident", "/facilities/1"),
    "/contacts": ("resident", "/contacts"),
    "/contacts/:id": ("resident", "/contacts/1"),
    "/questions": ("resident", "/questions"),
    "/questions/new": ("resident", "/questions/new"),
    "/questions/:id": ("resident", "/questions/{question}"),
    "/notices": ("resident", "/notices"),
    "/notices/:id": ("resident", "/notices/{notice}"),
    "/polls": ("resident", "/polls"),
    "/polls/:id": ("resident", "/polls/1"),
    "/volunteer": ("resident", "/volunteer"),
    "/volunteer/register": ("resident", "/volunteer/register"),
    "/volunteer/activities": ("resident", "/volunteer/activities"),
    "/volunteer/activities/:id(\\\\d+)": ("resident", "/volunteer/activities/1"),
    "/volunteer/mine": ("resident", "/volunteer/mine"),
    "/volunteer/scan": ("resident", "/volunteer/scan"),
    "/volunteer/certificate": ("resident", "/volunteer/certificate"),
    "/volunteer/board": ("resident", "/volunteer/board"),
    "/points": ("resident", "/points"),
    "/market": ("resident", "/market"),
    "/market/mine": ("resident", "/market/mine"),
    "/market/:id(\\\\d+)": ("resident", "/market/1"),
    "/partner": ("resident", "/partner"),
    "/bookings": ("resident", "/bookings"),
    "/bookings/r/:id(\\\\d+)": ("resident", "/bookings/r/1"),
    "/bookings/mine": ("resident", "/bookings/mine"),
    "/bookings/scan": ("resident", "/bookings/scan"),
    "/services": ("resident", "/services"),
    "/services/:id(\\\\d+)": ("resident", "/services/1"),
    "/staff": ("staff", "/staff"),
    "/questions/inbox": ("staff", "/questions/inbox"),
}
# Staff screens of the demo community: the pattern with :cid → 1 and :id → 1 is the URL, unless named here.
STAFF_URLS = {
    "/staff/:cid/polls/:id/slips": "/staff/1/polls/2/slips",
}
SKIP = {"/:rest(.*)*"}  # the catch-all redirect
# Screens that differ by role: the home page is a workbench for staff and administrators.
ALSO = [("/", "staff", "/"), ("/", "admin", "/")]


def routed_paths() -> list[str]:
    return sorted(set(re.findall(r"path: '([^']*)'", ROUTER.read_text(encoding="utf-8"))) - SKIP)


def demo_ids(path: str) -> str:
    return re.sub(r":id(\([^)]*\))?", "1", path)


def visit_for(path: str) -> tuple[str, str]:
    if path in SCREENS:
        return SCREENS[path]
    if path.startswith("/staff/:cid/"):
        return "staff", STAFF_URLS.get(path) or demo_ids(path.replace(":cid", "1"))
    if path.startswith("/admin"):
        return "admin", demo_ids(path)
    raise AssertionError(f"{path} is routed but not visited by this test: add it to SCREENS")


# Everything a finger is meant to hit: buttons, links that act like buttons, phone links, chips, radios,
# checkboxes, switches, tabs, tappable cells. Links inside running text are exempt (WCAG 2.5.8).
SMALL_TARGETS = """(min) => {
  const sel = 'button, [role=button], [role=radio], [role=checkbox], [role=switch], [role=tab], ' +
    'a[href^="tel:"], .van-cell--clickable, .van-tabbar-item, select, input[type=radio], input[type=checkbox]'
  const small = []
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[aria-hidden=true], .van-overlay, [inert]')) continue
    const r = el.getBoundingClientRect()
    const style = getComputedStyle(el)
    if (!r.width || !r.height || style.visibility === 'hidden') continue
    // A native input hidden under its styled label: the label is the target.
    if (el.matches('input') && (r.width <= 1 || style.opacity === '0')) continue
    if (el.matches('a') && el.closest('p, li') && !el.closest('.van-cell')) continue
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.className || '').trim().slice(0, 30)
      const what = `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} "${name}"`
      small.push(`${what} ${Math.round(r.width)}×${Math.round(r.height)}`)
    }
  }
  return small
}"""

LANDMARKS = """() => {
  const problems = []
  const h1 = [...document.querySelectorAll('h1')].filter((h) => h.getClientRects().length)
  if (h1.length !== 1) problems.push(`${h1.length} h1: ${h1.map((h) => h.textContent.trim()).join(' | ')}`)
  const nav = document.querySelector('.van-nav-bar')
  if (nav && !nav.closest('header, [role=banner]')) problems.push('nav bar outside a header landmark')
  const tabbar = document.querySelector('.van-tabbar')
  if (tabbar && !tabbar.closest('nav, [role=navigation]')) problems.push('tab bar outside a nav landmark')
  return problems
}"""


# Within the app already loaded, as a tap on a link would: no reload, so each screen costs only itself.
NAVIGATE = """(url) => {
  const position = (history.state?.position ?? 0) + 1
  history.pushState({ ...history.state, back: location.pathname, current: url, forward: null, position,
                      replaced: false, scroll: null }, '', url)
  dispatchEvent(new PopStateEvent('popstate', { state: history.state }))
}"""


class Quiet:
    """Counts a page's requests under way, to wait until a screen has fetched what it shows."""

    def __init__(self, page):
        self.busy = 0
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, _request):
        self.busy += 1

    def _end(self, _request):
        self.busy = max(0, self.busy - 1)

    def wait(self, page, quiet_ms: int = 300) -> None:
        calm = 0
        while calm < quiet_ms:
            page.wait_for_timeout(50)
            calm = calm + 50 if not self.busy else 0


def axe_violations(page) -> list[dict]:
    settle(page)
    result = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"]]


def inspect(page, url: str) -> list[str]:
    page.evaluate(NAVIGATE, url)
    page.quiet.wait(page)
    expect(page.get_by_test_id("route-status")).to_have_text("")
    expect(page.locator(".van-skeleton")).to_have_count(0)
    problems = page.evaluate(LANDMARKS)
    problems += [f"axe {json.dumps(v, ensure_ascii=False)}" for v in axe_violations(page)]
    problems += [f"small target {s}" for s in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
    return problems


def open_app(page):
    """Load the app once in a page; its screens are then reached from within."""
    page.quiet = Quiet(page)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text())  # evaluated by the driver, so the app's CSP still applies to the app
    return page


@pytest.fixture
def pages(new_context):
    """One logged-in page per role, in normal mode and Chinese."""
    made = {"guest": new_context().new_page()}
    resident = new_context().new_page()
    register_api(resident.context, "周桂芳")
    made["resident"] = resident
    staff = new_context().new_page()
    login_ui(staff, new_staff(staff.context, name="钱立新"), DESK_PASSWORD)
    made["staff"] = staff
    admin = new_context().new_page()
    api_call(admin.context, "POST", "/auth/login", {"phone": ADMIN_PHONE, "password": DEMO_PASSWORD})
    made["admin"] = admin
    return {role: open_app(page) for role, page in made.items()}


def resident_ids(pages) -> dict:
    """A question of the resident's own and a notice addressed to them."""
    question = api_call(pages["resident"].context, "POST", "/communities/1/questions",
                        {"topic": "housing", "text": "小区东门的路灯坏了，什么时候能修？"})
    notice = api_call(pages["staff"].context, "POST", "/communities/1/notices/manage",
                      {"title": "停水通知", "body": "明天上午九点到十二点停水，请提前储水。", "category": "service",
                       "audience": {"everyone": True}, "push": False})
    api_call(pages["staff"].context, "POST", f"/communities/1/notices/manage/{notice['id']}/publish",
             {"publish_at": None})
    wait_sent(pages["staff"].context, notice["id"])
    return {"question": question["id"], "notice": notice["id"]}


def test_every_screen_is_accessible(pages):
    ids = resident_ids(pages)
    report = {}
    visits = [(path, *visit_for(path)) for path in routed_paths()] + ALSO
    for path, role, url in visits:
        problems = inspect(pages[role], url.format(**ids))
        if problems:
            report[f"{path} ({role} {url.format(**ids)})"] = problems
    assert not report, json.dumps(report, ensure_ascii=False, indent=1)


def test_offline_banner_is_worded_for_the_screen(page):
    page.goto("/login")
    page.context.set_offline(True)
    expect(page.get_by_test_id("offline-bar")).to_have_text("网络未连接：登录需要网络，联网后再试")
    page.context.set_offline(False)
    expect(page.get_by_test_id("offline-bar")).to_have_count(0)


def test_one_offline_banner_on_a_screen_with_its_own_note(new_context):
    # Without the service worker, whose copy of an answer would spare the screen its note.
    page = new_context(service_workers="block").new_page()
    register_api(page.context, "吴淑华")
    page.goto("/me")
    page.context.set_offline(True)
    expect(page.get_by_test_id("offline-bar")).to_have_text("网络未连接，显示的是上次保存的内容")
    page.context.set_offline(False)
    page.goto("/contacts")
    expect(page.locator(".contact-row").first).to_be_visible()  # the list, now kept on the phone
    page.context.set_offline(True)
    # The browser's own cache may still answer a list it fetched a moment ago: the network must not.
    page.route("**/api/v1/communities/*/contacts*", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="党员咨询").click()  # fetch the list again: a part, then the whole
    page.get_by_role("button", name="全部").click()
    expect(page.locator(".offline-copy")).to_be_visible()
    expect(page.get_by_test_id("offline-bar")).to_be_hidden()
    expect(page.locator(".app [role=status]:visible", has_text="网络")).to_have_count(1)
    page.context.set_offline(False)


def test_a_confirm_dialog_is_named_by_its_text(page):
    register_api(page.context, "郑美玲")
    page.goto("/me")
    page.get_by_test_id("logout").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_name(re.compile("退出"))
    page.evaluate(AXE.read_text())
    assert not axe_violations(page)
