"""Every API endpoint: declared access level, CSRF on writes, 401/403 for the wrong person.

Built from the app's URL map, so a new endpoint is checked the moment it exists.
"""
import re

import pytest

from backend import create_app
from tests import factories
from tests.conftest import TEST_CONFIG

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _endpoints():
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view_class = app.view_functions[rule.endpoint].view_class
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            access = getattr(getattr(view_class, method.lower()), "access", None)
            yield pytest.param(method, rule.rule, access, id=f"{method} {rule.rule}")


ENDPOINTS = list(_endpoints())


def url_for(rule: str, community_id: int) -> str:
    url = rule.replace("<int:community_id>", str(community_id))
    return re.sub(r"<(?:\w+:)?\w+>", "1", url)


def call(client, method, rule, community_id, **kwargs):
    return client.open(url_for(rule, community_id), method=method, json={}, **kwargs)


@pytest.mark.parametrize("method, rule, access", ENDPOINTS)
def test_every_endpoint_declares_who_may_call_it(method, rule, access):
    assert access in {"public", "login", "member", "staff", "admin"}


@pytest.mark.parametrize("method, rule, access", [e for e in ENDPOINTS if e.values[0] in WRITES])
def test_writes_without_csrf_token_are_refused(make_client, community, method, rule, access):
    client = make_client()
    client.csrf = False
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        r = call(client, method, rule, community.id, headers=headers)
        assert r.status_code == 403 and r.json["code"] == "csrf_failed"


@pytest.mark.parametrize("method, rule, access", [e for e in ENDPOINTS if e.values[2] != "public"])
def test_anonymous_gets_401(client, community, method, rule, access):
    r = call(client, method, rule, community.id)
    assert r.status_code == 401 and r.json["code"] == "unauthorized"


@pytest.mark.parametrize("method, rule, access",
                         [e for e in ENDPOINTS if e.values[2] in {"member", "staff"}])
def test_staff_of_another_community_gets_403(make_client, community, other_community, method, rule, access):
    outsider = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    r = call(outsider, method, rule, community.id)
    assert r.status_code == 403 and r.json["code"] == "forbidden"


@pytest.mark.parametrize("method, rule, access", [e for e in ENDPOINTS if e.values[2] in {"staff", "admin"}])
def test_resident_gets_403_on_staff_and_admin_endpoints(resident_client, community, method, rule, access):
    r = call(resident_client, method, rule, community.id)
    assert r.status_code == 403 and r.json["code"] == "forbidden"


@pytest.mark.parametrize("method, rule, access", [e for e in ENDPOINTS if e.values[2] == "admin"])
def test_staff_gets_403_on_admin_endpoints(staff_client, community, method, rule, access):
    r = call(staff_client, method, rule, community.id)
    assert r.status_code == 403
