import pytest
from django.urls import reverse

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
