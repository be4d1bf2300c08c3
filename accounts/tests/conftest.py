import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counters live in the (process-wide) cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
