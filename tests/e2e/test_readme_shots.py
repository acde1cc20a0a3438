"""The README's screenshots (pwa/docs/*.png), taken from the demo community at phone size.
Run on purpose, not with the suite: `README_SHOTS=1 .venv/bin/pytest -q tests/e2e/test_readme_shots.py`."""
import os

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, ROOT, api_call, settle

DOCS = ROOT / "pwa" / "docs"
pytestmark = pytest.mark.skipif(not os.environ.get("README_SHOTS"), reason="set README_SHOTS=1 to retake them")


def take(page, url: str, name: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator(".app__main")).to_be_visible()
    expect(page.locator(".van-skeleton")).to_have_count(0)
    settle(page)
    page.screenshot(path=str(DOCS / f"{name}.png"), scale="css")


def test_readme_screenshots(new_context):
    resident = new_context().new_page()
    api_call(resident.context, "POST", "/auth/login", {"phone": "13900000101", "password": DEMO_PASSWORD})
    take(resident, "/", "screenshot-home")
    take(resident, "/notices", "screenshot-notices")
    take(resident, "/guide", "screenshot-guide")
    care = new_context().new_page()  # 赵大妈 has care mode on in her profile
    api_call(care.context, "POST", "/auth/login", {"phone": "13900000001", "password": DEMO_PASSWORD})
    take(care, "/", "screenshot-care-mode")
