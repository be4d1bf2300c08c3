"""The demo records two customers' CSR documents, one in a second revision with changed clauses,
and does it once."""

import pytest

from csr import demo, selectors
from csr.models import ClauseStatus, CsrDocument
from customers import demo as customers_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_register_once():
    customers_demo.seed()
    demo.seed()
    assert CsrDocument.objects.count() == 3
    revised = CsrDocument.objects.get(reference="AW-CSR-IATF", revision="2025")
    changes = selectors.changes_since_previous(revised)
    assert (changes.added, changes.changed, changes.removed) == (
        ["9.1.2.1"],
        ["8.3.3.3"],
        ["8.7.1.4"],
    )
    assert revised.clauses.get(number="10.2.3").status == ClauseStatus.IMPLEMENTED
    assert revised.clauses.get(number="8.3.3.3").status == ClauseStatus.OPEN
    demo.seed()
    assert CsrDocument.objects.count() == 3
