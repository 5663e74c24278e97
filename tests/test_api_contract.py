"""The Bookshop API honours its own OpenAPI document, on inputs schemathesis generates from it.

Every operation is called with generated data, as an anonymous client and as staff. Each
response must be documented (status, content type, body schema), and none may be a 500.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api_fixtures import start

pytestmark = pytest.mark.xdist_group("api")
EXAMPLES_PER_OPERATION = 15


@schemathesis.check
def schema_valid_requests_pass_validation(ctx, response, case) -> None:
    """A request the schema allows must get past the API's input validation.

    Schemathesis's own `positive_data_acceptance` also refuses a 400 or 422 that a request earns by its
    meaning (a cursor the server never issued, an author that does not exist). Validation refusing it,
    problem type `invalid-request`, is what shows the schema promising more than the API accepts.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 422:
        return
    problem = response.json()
    if problem.get("type", "").endswith("/invalid-request"):
        raise AssertionError(f"a schema-valid request failed validation: {problem['detail']}")


@pytest.fixture(scope="module")
def contract_api():
    api = start("test-api-contract", rate_limit=None)
    yield api
    api.lab.close()


def violations(api, headers: dict[str, str]) -> list[str]:
    """`operation: failure` for every operation whose generated calls broke the contract."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def calls(case):
            case.call_and_validate(
                headers=headers,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[schema_valid_requests_pass_validation],
            )

        try:
            calls()
        except Exception as failure:  # schemathesis raises one error that lists what failed
            found.append(f"{operation.label}: {failure}")
    return found


def test_anonymous_calls_get_documented_answers(contract_api):
    assert violations(contract_api, {}) == []


def test_staff_calls_get_documented_answers(contract_api):
    assert violations(contract_api, contract_api.staff) == []
