"""Every operation, fed schema-driven valid and invalid requests: no 5xx, and every response
matches the documented status codes, content types, headers and schemas."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from {{ cookiecutter.package_name }}.main import create_app

from tests.conftest import make_settings
from tests.contract.deferred_app import DEFERRED_APP

# Generated requests per operation: Hypothesis's default. Schemathesis adds its explicit examples
# and boundary ("coverage") cases on top, about 75 per operation here, each a real request against
# the database (~4 ms). On this API, more examples found nothing that 100 did not; the nightly run
# raises it with CONTRACT_EXAMPLES.
EXAMPLES_PER_OPERATION = int(os.environ.get("CONTRACT_EXAMPLES", "100"))

config = schemathesis.Config.from_dict(
    # Unknown query parameters are ignored by design (the HTTP convention, and what lets clients
    # add cache-busters); unknown body fields are refused by the schemas and tested elsewhere.
    {"generation": {"allow-extra-parameters": False}}
)
# The schema the application serves; `test_openapi_snapshot.py` pins it to the committed one.
schema = schemathesis.openapi.from_dict(create_app(make_settings()).openapi(), config=config)
schema.app = DEFERRED_APP


@pytest.mark.slow  # about 2,000 requests
@pytest.mark.usefixtures("contract_app")
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None)
def test_the_api_keeps_its_contract(
    case: schemathesis.Case[Any], contract_headers: dict[str, str], cases_sent: list[str]
) -> None:
    cases_sent.append(case.operation.label)
    case.call_and_validate(headers=contract_headers)
