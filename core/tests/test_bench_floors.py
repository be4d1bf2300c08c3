"""The bench's floor views: one claim through the real tenancy, layout and API machinery.

They exist only in ``bench.urls`` (the URL conf of the gunicorn ``make bench`` starts); the
product's URL conf has no such routes.
"""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from claims.tests.factories import file_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(user_a):
    return file_claim(actor=user_a)


@override_settings(ROOT_URLCONF="bench.urls")
def test_floors_show_one_claim_to_whoever_may_read_it(client_for, api_client_for, claim, user_a):
    page = client_for(user_a).get(f"/bench/floor/page/{claim.pk}/")
    assert page.status_code == 200
    assert claim.number in page.content.decode()
    assert "<nav" in page.content.decode()  # the full layout, as every page has
    api = api_client_for(user_a).get(f"/bench/floor/api/{claim.pk}/")
    assert api.status_code == 200
    assert api.json()["number"] == claim.number


@override_settings(ROOT_URLCONF="bench.urls")
def test_floors_keep_tenancy(client_for, api_client_for, claim, user_b):
    assert client_for(user_b).get(f"/bench/floor/page/{claim.pk}/").status_code == 404
    assert api_client_for(user_b).get(f"/bench/floor/api/{claim.pk}/").status_code == 404


def test_the_product_has_no_floor_routes():
    with pytest.raises(NoReverseMatch):
        reverse("bench-page-floor", args=[1])
