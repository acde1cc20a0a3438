"""The OpenAPI document is valid, and real answers match what it declares for their status."""
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate

from tests import factories
from tests import guide_factories as gf
from tests import notice_factories as nf

C = "/api/v1/communities/{community_id}"


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def assert_matches_document(spec: dict, method: str, template: str, response) -> None:
    """The body must fit the schema the document gives for this operation and this status."""
    declared = spec["paths"][template][method]["responses"]
    assert str(response.status_code) in declared, (method, template, response.status_code)
    content = _resolve(spec, declared[str(response.status_code)]).get("content")
    if content is None:
        assert response.get_data() == b""
        return
    assert response.mimetype in content
    schema = {**content[response.mimetype]["schema"], "components": spec["components"]}
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(response.json)


def test_the_document_is_valid_openapi(spec):
    validate(spec)


def test_errors_are_documented_with_their_real_shape(spec):
    error = spec["components"]["schemas"]["Error"]["properties"]
    assert (error["code"]["type"], error["status"]["type"]) == ("string", "integer")
    operation = spec["paths"][C + "/notices/{notice_id}"]["get"]
    assert {"401", "403", "404", "422", "429"} <= set(operation["responses"])


@pytest.fixture
def world(community, other_community, staff, resident_client, staff_client, client, make_client):
    """A notice not yet read, a draft, a facility, a guide item, a dwelling and a pending claim."""
    notice = nf.create_notice(community, staff)
    draft = nf.create_notice(community, staff, publish=False)
    gf.create_facility(community)
    gf.create_item(community)
    factories.create_resident(community, status="pending")
    other_staff = factories.logged_in(make_client(), factories.create_user(other_community, role="staff"))
    return {"community_id": community.id, "other": other_community.id, "notice_id": notice.id,
            "draft_id": draft.id, "clients": {"anonymous": client, "resident": resident_client,
                                              "staff": staff_client, "other_staff": other_staff}}


SAMPLES = [
    ("resident", "get", "/api/v1/auth/me", {}, None, 200),
    ("anonymous", "get", "/api/v1/auth/me", {}, None, 401),
    ("resident", "get", C + "/notices", {}, None, 200),
    ("resident", "get", C + "/notices/{notice_id}", {}, None, 200),
    ("resident", "get", C + "/notices/{notice_id}", {"notice_id": 999_999}, None, 404),
    ("staff", "get", C + "/notices/manage/{notice_id}", {"notice_id": "draft_id"}, None, 200),
    ("staff", "get", C + "/notices/manage", {}, None, 200),
    ("staff", "post", C + "/notices/manage", {}, {"title": ""}, 422),
    ("other_staff", "get", C + "/notices/manage", {}, None, 403),
    ("anonymous", "get", C + "/facilities", {}, None, 200),
    ("anonymous", "get", C + "/guide/items", {}, None, 200),
    ("staff", "get", C + "/residencies", {}, None, 200),
    ("staff", "get", C + "/dwellings", {}, None, 200),
    ("resident", "get", "/api/v1/push/subscriptions", {}, None, 200),
]


@pytest.mark.parametrize("who, method, template, params, body, status", SAMPLES,
                         ids=[f"{s[0]} {s[1].upper()} {s[2]} {s[5]}" for s in SAMPLES])
def test_answers_match_the_document(spec, world, who, method, template, params, body, status):
    values = {"community_id": world["community_id"], "notice_id": world["notice_id"]}
    values.update({k: world[v] if isinstance(v, str) else v for k, v in params.items()})
    response = world["clients"][who].open(template.format(**values), method=method.upper(), json=body)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert_matches_document(spec, method, template, response)
