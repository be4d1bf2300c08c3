import pytest
from django.urls import reverse

from claims import costs
from claims.models import ClaimCostSheet
from claims.tests.factories import file_claim
from customers.tests.factories import PartFactory


@pytest.mark.django_db
def test_admin_shows_claims_read_only(client_for, admin_user, user_a):
    claim = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    client = client_for(admin_user)
    listing = client.get(reverse("admin:claims_claim_changelist"))
    assert listing.status_code == 200
    assert claim.number in listing.content.decode()
    assert client.get(reverse("admin:claims_claim_add")).status_code == 403
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


@pytest.mark.django_db
def test_admin_lists_cost_sheets_with_their_lines_read_only(
    client_for, admin_user, engineer, user_a
):
    claim = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    costs.cost_line_add(
        claim=claim,
        actor=engineer,
        category="sorting",
        description="Sorting of 500 suspect parts",
        quantity="12",
        unit="h",
        rate="48.00",
    )
    costs.costs_release(claim=claim, actor=engineer)
    sheet = ClaimCostSheet.objects.get(claim=claim)
    client = client_for(admin_user)

    listing = client.get(reverse("admin:claims_claimcostsheet_changelist"))

    assert listing.status_code == 200
    assert claim.number in listing.content.decode()
    assert "Released to the customer" in listing.content.decode()
    assert client.get(reverse("admin:claims_claimcostsheet_add")).status_code == 403
    page = client.get(reverse("admin:claims_claimcostsheet_change", args=[sheet.pk]))
    assert page.status_code == 200
    assert "Sorting of 500 suspect parts" in page.content.decode()
    assert "576.00" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
