"""Fixtures of the end-to-end flows; the browser itself comes from ``tests.browser``."""

import pytest

from customers.demo import seed as seed_customers


@pytest.fixture
def demo(transactional_db):
    """The demo customers, parts and logins; the demo claims are left out to keep tests fast."""
    seed_customers()
