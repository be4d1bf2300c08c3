import pytest
from django.db import transaction

from core.models import Sequence
from core.numbering import next_number

pytestmark = pytest.mark.django_db


def test_numbers_are_sequential_per_prefix_and_year():
    assert next_number("CL", year=2026) == "CL-2026-00001"
    assert next_number("CL", year=2026) == "CL-2026-00002"
    assert next_number("ECR", year=2026) == "ECR-2026-00001"
    assert next_number("CL", year=2027) == "CL-2027-00001"
    assert next_number("CL", year=2026) == "CL-2026-00003"


def test_width_is_configurable():
    assert next_number("AUD", year=2026, width=3) == "AUD-2026-001"


def test_a_rolled_back_number_is_handed_out_again():
    next_number("PPAP", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("PPAP", year=2026) == "PPAP-2026-00002"
        raise RuntimeError("filing failed")
    assert next_number("PPAP", year=2026) == "PPAP-2026-00002"
    assert Sequence.objects.get(prefix="PPAP", year=2026).last_value == 2
