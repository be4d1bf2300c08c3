import datetime as dt

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from core.models import Action
from customers.models import Part
from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory

pytestmark = pytest.mark.django_db
URL = reverse_lazy("core:home")


def _cards(response) -> dict:
    return {card.key: card.value for card in response.context["cards"]}


@pytest.fixture
def world(customer_a, customer_b, engineer, manager, make_action):
    """Parts, customers and actions with known counts."""
    today = timezone.localdate()
    part_a1 = PartFactory(customer=customer_a)
    PartFactory(customer=customer_a)
    PartFactory(customer=customer_a, active_to=today - dt.timedelta(days=1))  # run out
    part_b = PartFactory(customer=customer_b)
    old = PartFactory(customer=customer_b)
    Part.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=62))
    CustomerFactory(is_active=False)
    make_action(part_a1, title="My late one", due_in=-2)
    make_action(part_a1, title="My open one", due_in=4)
    make_action(part_b, title="My done one", due_in=-5, status=Action.Status.DONE)
    make_action(part_b, title="Manager late", due_in=-1, owner=manager)
    make_action(part_b, title="Manager open", due_in=9, owner=manager)
    return {"part_a1": part_a1, "part_b": part_b}


def test_engineer_sees_own_actions_and_master_data(client_for, engineer, world):
    response = client_for(engineer).get(URL)
    assert response.status_code == 200
    cards = _cards(response)
    assert cards["my_open_actions"] == 2
    assert cards["my_overdue_actions"] == 1
    assert cards["active_parts"] == 4
    assert cards["active_customers"] == 2
    html = response.content.decode()
    assert "Hello, Erika" in html
    assert [a.title for a in response.context["attention"]] == ["My late one", "My open one"]
    assert reverse("core:my-actions") + "?tab=overdue" in html
    assert "stat-alert" in html


def test_manager_sees_team_wide_figures(client_for, manager, world):
    response = client_for(manager).get(URL)
    cards = _cards(response)
    assert cards["overdue_actions"] == 2
    assert cards["open_actions"] == 4
    assert cards["active_customers"] == 2
    assert cards["active_parts"] == 4
    assert cards["parts_this_month"] == 4
    titles = [a.title for a in response.context["attention"]]
    assert titles[:2] == ["My late one", "Manager late"]
    assert "Hello, Max" in response.content.decode()


def test_admin_sees_users_and_master_data(client_for, admin_user, engineer, manager, world):
    PlantFactory(code="ZZ9")
    response = client_for(admin_user).get(URL)
    cards = _cards(response)
    assert cards["active_users"] == 3
    assert cards["locked_out"] == 0
    assert cards["customers"] == 3
    assert cards["parts"] == 5
    assert cards["plants"] >= 1
    assert "Hello, Ada" in response.content.decode()


def test_admin_sees_locked_out_sign_ins(client_for, admin_user, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="someone@example.com",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    cards = _cards(client_for(admin_user).get(URL))
    assert cards["locked_out"] == 1


def test_customer_sees_own_company_only(client_for, user_a, customer_a, world):
    response = client_for(user_a).get(URL)
    assert response.status_code == 200
    cards = _cards(response)
    assert cards == {"active_parts": 2, "open_actions": 2}
    html = response.content.decode()
    assert "Autowerk AG" in html
    assert reverse("customers:part-list") in html
    assert reverse("accounts:profile") in html
    assert "Manager late" not in html
    assert "attention" not in response.context


def test_engineer_empty_state(client_for, engineer):
    html = client_for(engineer).get(URL).content.decode()
    assert "Nothing needs you right now" in html


def test_home_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_registered_cards_are_added(client_for, engineer):
    from core import home

    def provider(user):
        return [home.HomeCard("claims_open", "Open claims", 7, "bi-flag")]

    home.register_home_cards(provider)
    try:
        cards = _cards(client_for(engineer).get(URL))
    finally:
        home._providers.remove(provider)
    assert cards["claims_open"] == 7
