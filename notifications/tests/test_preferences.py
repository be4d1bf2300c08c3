"""The preferences page and service: grouped kinds, mandatory kinds fixed, unknown kinds refused."""

import pytest
from django.urls import reverse

from notifications import selectors, services
from notifications.kinds import Delivery
from notifications.models import NotificationPreference

from .conftest import ANYONE, CUSTOMER, DIGEST, INTERNAL, SAFETY

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:preferences")


def test_page_lists_the_kinds_the_user_can_receive(client_for, engineer, user_a):
    staff = client_for(engineer).get(PAGE).content.decode()
    assert "Internal test kind" in staff and "Customer test kind" not in staff
    assert "Safety test kind" in staff and "Always at once by e-mail" in staff
    assert f'name="{SAFETY}"' not in staff
    customer = client_for(user_a).get(PAGE).content.decode()
    assert "Customer test kind" in customer and "Internal test kind" not in customer


def test_saving(client_for, engineer):
    data = {INTERNAL: "portal", ANYONE: "digest", DIGEST: "immediate"}
    response = client_for(engineer).post(PAGE, data, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "Your notification settings have been saved." in response.content.decode()
    stored = dict(
        NotificationPreference.objects.filter(user=engineer).values_list("kind", "delivery")
    )
    assert stored == data
    rows = {row.kind.key: row.delivery for row in selectors.preferences_for(engineer)}
    assert rows[ANYONE] == "digest" and rows[SAFETY] == "immediate"


def test_a_forged_choice_for_a_mandatory_kind_changes_nothing(client_for, engineer):
    data = {INTERNAL: "portal", ANYONE: "digest", DIGEST: "digest", SAFETY: "portal"}
    client_for(engineer).post(PAGE, data)
    assert not NotificationPreference.objects.filter(kind=SAFETY).exists()
    rows = {row.kind.key: row.delivery for row in selectors.preferences_for(engineer)}
    assert rows[SAFETY] == Delivery.IMMEDIATE


def test_invalid_choices_are_shown_at_the_field(client_for, engineer):
    response = client_for(engineer).post(PAGE, {INTERNAL: "carrier-pigeon", ANYONE: "digest"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is-invalid" in html and "Select a valid choice" in html
    assert not NotificationPreference.objects.exists()


def test_the_service_refuses_unknown_and_mandatory_kinds(engineer, user_a):
    for choices in (
        {"tests.unknown": Delivery.PORTAL},
        {CUSTOMER: Delivery.PORTAL},  # a kind staff cannot receive
        {SAFETY: Delivery.DIGEST},
        {ANYONE: "fax"},
    ):
        with pytest.raises(services.PreferenceError):
            services.preferences_set(actor=engineer, choices={ANYONE: "portal", **choices})
    with pytest.raises(services.PreferenceError):
        services.preferences_set(actor=user_a, choices={INTERNAL: Delivery.PORTAL})
    assert not NotificationPreference.objects.exists()
    services.preferences_set(actor=engineer, choices={SAFETY: Delivery.IMMEDIATE})
    assert not NotificationPreference.objects.exists()


def test_the_list_page_links_to_the_settings(client_for, engineer):
    html = client_for(engineer).get(reverse("notifications:list")).content.decode()
    assert f'href="{PAGE}"' in html
