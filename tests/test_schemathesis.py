"""Schemathesis over every operation of the OpenAPI document, in a bounded smoke run.

Each generated request is sent by four people (anonymous, a resident and the staff of community A,
an administrator), to community A and to community B where none of them belongs. Every answer must
be no server error, with a status, content type and body the document declares.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from backend import create_app
from tests import factories
from tests import guide_factories as gf
from tests import notice_factories as nf
from tests.conftest import TEST_CONFIG

# Bounded for CI: a few random requests per operation, each sent up to 8 times. A deeper run:
# SCHEMATHESIS_MAX_EXAMPLES=30 SCHEMATHESIS_COVERAGE=1 (boundary values of every field, ~2-3× longer).
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"
CONFIG = schemathesis.Config.from_dict({
    "seed": 20261130,  # the same requests on every run: a CI failure can be replayed
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}), config=CONFIG)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


def _seed(community, staff):
    """A little of everything, so that small generated ids sometimes name real rows."""
    grid = factories.create_grid(community)
    factories.create_dwelling(community, factories.create_building(community, grid=grid))
    nf.create_notice(community, staff)
    nf.create_notice(community, staff, publish=False)
    gf.create_item(community)
    gf.create_facility(community)
    gf.create_synonyms(community, "居住证", "暂住证")


@pytest.fixture
def people(app, make_client):
    a, b = factories.create_community(), factories.create_community(name="对面社区")
    staff = factories.create_user(a, role="staff", title="居委会主任")
    users = {"resident": factories.create_resident(a), "staff": staff,
             "admin": factories.create_user(name="管理员", is_admin=True)}
    _seed(a, staff)
    _seed(b, factories.create_user(b, role="staff"))
    clients = {"anonymous": make_client()}
    clients.update({role: factories.logged_in(make_client(), user) for role, user in users.items()})
    return clients, (a.id, b.id)


def _call(case, app, client, community_id):
    if community_id is not None:
        case.path_parameters["community_id"] = community_id
    response = case.call(app=app, session=client)
    try:
        case.validate_response(response, checks=CHECKS)
    except (AssertionError, schemathesis.errors.FailureGroup) as err:  # gathered: one run shows them all
        return f"{err}"
    return None


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_keeps_its_word(case, app, people):
    clients, community_ids = people
    targets = community_ids if "community_id" in (case.path_parameters or {}) else (None,)
    failures = [f"{case.operation.label} as {role}" + (f" in community {cid}" if cid else "") + f": {failure}"
                for role, client in clients.items() for cid in targets
                if (failure := _call(case, app, client, cid))]
    assert not failures, "\n\n".join(failures)
