"""The OpenAPI schema describes every route, and its docs page loads nothing from outside."""

import re

import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from .routes import api_routes

pytestmark = pytest.mark.django_db

# Not API operations: the schema itself, its docs page, and the JSON 404 for unknown paths.
NOT_IN_SCHEMA = {"api/v1/schema/", "api/v1/docs/", "api/v1/^"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_has_every_route(schema):
    as_paths = {
        "/"
        + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + ("id" if m[1] == "pk" else m[1]) + "}", route)
        for route in api_routes()
        if route not in NOT_IN_SCHEMA
    }

    assert as_paths == set(schema["paths"])


def test_every_operation_documents_its_errors(schema):
    missing = {
        (method, path): {"401", "403", "404"} - set(operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if path != "/api/v1/auth/login/"
    }

    assert {key: codes for key, codes in missing.items() if codes} == {}


def test_money_is_a_string_in_the_schema(schema):
    line = schema["components"]["schemas"]["BudgetLine"]["properties"]["eligible_amount"]

    assert (line["type"], line["format"]) == ("string", "decimal")


def test_docs_load_nothing_from_outside(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r"""(?:src|href)=["']?(https?:)?//""", page) == []
    assert "swagger-ui-bundle.js" in page


# Swagger UI renders descriptions as Markdown with HTML: a bare "Token <token>" shows as "Token ".
VISIBLE_TOKEN_HINT = "`Authorization: Token YOUR-TOKEN`"


def test_schema_description_shows_how_to_send_the_token(schema):
    assert VISIBLE_TOKEN_HINT in schema["info"]["description"]


def test_token_scheme_and_login_answer_show_how_to_send_the_token(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    token = schema["components"]["schemas"]["Token"]["properties"]["token"]
    assert VISIBLE_TOKEN_HINT in scheme["description"]
    assert VISIBLE_TOKEN_HINT in token["description"]


def test_schema_has_no_placeholder_in_angle_brackets_for_the_token(client):
    text = client.get("/api/v1/schema/").content.decode()
    assert "<token>" not in text.lower()


def test_no_two_serializers_share_a_component_name():
    """Two serializers of one name would make one component describe both (wrongly)."""
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)

    assert [text for text in GENERATOR_STATS._warn_cache if "identical names" in text] == []
