"""The OpenAPI schema covers every API endpoint, validates, and the API behaves as the
schema says under schemathesis (including its ignored_auth check)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth

from vitaal.api.models import ApiToken


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _api_routes() -> set[str]:
    routes: set[str] = set()

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("api/v1/"):
                    # normalise Django and regex converters to OpenAPI's {name}
                    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
                    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                    # drf-spectacular names a primary key {id} (SCHEMA_COERCE_PATH_PK)
                    route = route.replace("{pk}", "{id}")
                    routes.add("/" + route.replace("^", "").replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return routes


def test_every_api_endpoint_is_in_the_schema():
    paths = set(_schema()["paths"])
    assert _api_routes() - paths == set()


def test_schema_is_valid_openapi():
    validate_schema(_schema())


def test_every_operation_requires_authentication():
    schema = _schema()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            security = op.get("security", schema.get("security"))
            assert security and {} not in security, f"{method.upper()} {path} allows anonymous access"


@pytest.mark.django_db
def test_api_conforms_to_its_schema(cast):
    """Generated requests to every operation: responses match the schema, and the
    ignored_auth check proves that requests without the token are refused."""
    _token, raw = ApiToken.issue(user=cast.user("hr"), name="schemathesis")
    auth = {"Authorization": f"Bearer {raw}"}
    app = get_wsgi_application()
    # Like Django's test client: requests must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _run_schemathesis(app, auth)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_schemathesis(app, auth: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(headers=auth, additional_checks=[ignored_auth])

        check()
