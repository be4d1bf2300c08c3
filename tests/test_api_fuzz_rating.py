"""The rated scorecard's API under schemathesis as a manager, who may also write to it.

Customer users and engineers fuzz every operation in ``test_api_fuzz``; the writes of the
scorecard's settings, certificates and customer scores are for managers, so they are fuzzed here
once more with a manager's token, against the same records.
"""

from __future__ import annotations

import pytest

from tests.test_api_fuzz import (  # noqa: F401 (fixtures)
    _call_and_validate,
    _token_header,
    api_schema,
    keep_test_connection,
    records,
    schema,
)


@pytest.fixture
def manager_token(manager, records):  # noqa: F811
    return _token_header(manager)


@pytest.mark.django_db
@schema.include(
    path_regex=r"^/api/v1/metrics/(scorecard|certificates|customer-ratings)"
).parametrize()
def test_scorecard_answers_as_documented_to_managers(case, manager_token):
    _call_and_validate(case, manager_token)
