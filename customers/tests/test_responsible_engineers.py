"""Responsible engineers of a customer and its reaction time to new claims."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from customers import services
from customers.models import CustomerRequirements

from .test_views import TestRequirementsPage as _RequirementsPage

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def _customer_data(customer, **changes):
    data = {"name": customer.name, "code": customer.code, "time_zone": customer.time_zone}
    data.update(changes)
    return data


def test_the_form_sets_them_and_the_page_shows_them(client_for, manager, engineer, customer_a):
    UserFactory(email="left@example.com", role=Role.ENGINEER, is_active=False)
    client = client_for(manager)
    page = client.get(reverse("customers:customer-update", args=[customer_a.pk]))
    choices = {str(user) for user in page.context["form"].fields["responsible_engineers"].queryset}
    assert engineer.full_name in " ".join(choices) and "left@example.com" not in choices

    response = client.post(
        reverse("customers:customer-update", args=[customer_a.pk]),
        _customer_data(customer_a, is_active="on", responsible_engineers=[engineer.pk]),
    )

    assert response.status_code == 302
    assert list(customer_a.responsible_engineers.all()) == [engineer]
    html = client.get(reverse("customers:customer-detail", args=[customer_a.pk])).content.decode()
    assert "Responsible engineers" in html and "Erika Engineer" in html


def test_customer_users_cannot_be_responsible(manager, customer_a, user_a):
    with pytest.raises(ValidationError):
        services.customer_update(customer=customer_a, actor=manager, responsible_engineers=[user_a])
    assert not customer_a.responsible_engineers.exists()


def test_the_api_reads_and_writes_them_for_staff_only(
    api_client_for, manager, engineer, customer_a, user_a
):
    api = api_client_for(manager)
    response = api.patch(
        f"{CUSTOMERS}{customer_a.pk}/", {"responsible_engineers": [engineer.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["responsible_engineers"] == [engineer.pk]
    assert list(customer_a.responsible_engineers.all()) == [engineer]

    refused = api.patch(
        f"{CUSTOMERS}{customer_a.pk}/", {"responsible_engineers": [user_a.pk]}, format="json"
    )
    assert refused.status_code == 400

    own = api_client_for(user_a).get(f"{CUSTOMERS}{customer_a.pk}/").json()
    assert "responsible_engineers" not in own


def test_reaction_times_default_and_are_checked(customer_a, manager):
    requirements = customer_a.requirements
    assert (requirements.reaction_hours, requirements.reaction_hours_safety) == (4, 1)
    for value in (0, 241):
        with pytest.raises(ValidationError):
            services.requirements_update(
                requirements=requirements, actor=manager, reaction_hours=value
            )
    services.requirements_update(
        requirements=requirements, actor=manager, reaction_hours=240, reaction_hours_safety=2
    )
    requirements.refresh_from_db()
    assert requirements.reaction_hours_for(safety=False) == 240
    assert requirements.reaction_hours_for(safety=True) == 2


def test_the_requirements_form_edits_the_reaction_times(client_for, manager, customer_a):
    page = _RequirementsPage()
    response = client_for(manager).post(
        page.url(customer_a), page.data(reaction_hours=8, reaction_hours_safety=2)
    )
    assert response.status_code == 302
    requirements = CustomerRequirements.objects.get(customer=customer_a)
    assert (requirements.reaction_hours, requirements.reaction_hours_safety) == (8, 2)

    response = client_for(manager).post(page.url(customer_a), page.data(reaction_hours_safety=0))
    assert response.status_code == 200
    assert "reaction_hours_safety" in response.context["form"].errors
