"""Costs / chargeback: Decimal totals, one currency, visibility before release, the sheet's flow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims import costs
from claims.models import ClaimCost, ClaimCostSheet, ClaimEvent
from claims.tests.factories import file_claim
from core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(user_a):
    return file_claim(actor=user_a)


def add(claim, actor, **overrides):
    fields = {
        "category": "sorting",
        "quantity": "3",
        "unit": "h",
        "rate": "45.50",
        "description": "Sorting at the customer's plant",
    }
    fields.update(overrides)
    return costs.cost_line_add(claim=claim, actor=actor, **fields)


def summary_for(claim, user):
    return costs.cost_summary(claim, user)


@pytest.fixture
def released(claim, engineer):
    add(claim, engineer)
    add(claim, engineer, category="admin_fee", quantity="1", unit="flat", rate="0.3333")
    costs.costs_release(claim=claim, actor=engineer)
    return claim


# --- amounts -------------------------------------------------------------------------------------


def test_total_is_the_decimal_sum_of_the_lines(claim, engineer):
    add(claim, engineer)
    add(claim, engineer, category="admin_fee", quantity="1", unit="flat", rate="0.3333")

    summary = summary_for(claim, engineer)

    assert summary.total == Decimal("136.8333")
    assert summary.total_shown == Decimal("136.83")
    assert summary.currency == "EUR"


def test_total_is_rounded_only_at_the_end(claim, engineer):
    for _ in range(3):
        add(claim, engineer, category="other", quantity="1", unit="flat", rate="0.005")

    summary = summary_for(claim, engineer)

    assert [row.amount_shown for row in summary.rows] == [Decimal("0.01")] * 3
    assert summary.total == Decimal("0.015")
    assert summary.total_shown == Decimal("0.02")  # not 0.03, the sum of the rounded lines


def test_warranty_line_applies_the_technical_factor(claim, engineer):
    line = add(
        claim,
        engineer,
        category="warranty",
        quantity="10",
        unit="pcs",
        rate="12.345",
        technical_factor_percent="50",
    )

    assert line.amount == Decimal("61.725")
    assert costs.shown(line.amount) == Decimal("61.73")


def test_technical_factor_is_refused_on_other_categories(claim, engineer):
    with pytest.raises(DomainError) as error:
        add(claim, engineer, technical_factor_percent="50")

    assert error.value.field == "technical_factor_percent"
    assert not ClaimCost.objects.exists()


def test_mixing_currencies_is_refused(claim, engineer):
    add(claim, engineer)

    with pytest.raises(DomainError) as error:
        add(claim, engineer, currency="usd")

    assert error.value.field == "currency"
    assert "EUR" in error.value.message
    assert list(ClaimCost.objects.values_list("currency", flat=True)) == ["EUR"]


def test_the_only_line_may_change_its_currency(claim, engineer):
    line = add(claim, engineer)

    costs.cost_line_update(line=line, actor=engineer, currency="USD")

    assert summary_for(claim, engineer).currency == "USD"


def test_non_positive_quantity_is_refused(claim, engineer):
    with pytest.raises(DomainError):
        add(claim, engineer, quantity="0")


# --- who may do what -----------------------------------------------------------------------------


def test_customer_cannot_add_lines(claim, user_a):
    with pytest.raises(PermissionDenied):
        add(claim, user_a)


def test_release_needs_a_line(claim, engineer):
    with pytest.raises(Conflict):
        costs.costs_release(claim=claim, actor=engineer)


def test_customer_cannot_release(claim, engineer, user_a):
    add(claim, engineer)

    with pytest.raises(PermissionDenied):
        costs.costs_release(claim=claim, actor=user_a)


def test_a_manager_cannot_accept_for_the_customer(released, manager):
    with pytest.raises(PermissionDenied):
        costs.costs_accept(claim=released, actor=manager)


def test_lines_are_frozen_once_released(released, engineer):
    line = released.costs.first()

    with pytest.raises(Conflict):
        costs.cost_line_update(line=line, actor=engineer, quantity="5")
    with pytest.raises(Conflict):
        add(released, engineer)


def test_dispute_needs_a_reason(released, user_a):
    with pytest.raises(DomainError):
        costs.costs_dispute(claim=released, actor=user_a, reason="  ")
    assert released.cost_sheet.status == ClaimCostSheet.Status.RELEASED


# --- the flow ------------------------------------------------------------------------------------


def test_release_tells_the_customer_after_commit(
    claim, engineer, user_a, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "http://portal.example"
    add(claim, engineer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        costs.costs_release(claim=claim, actor=engineer)
    assert mailoutbox == []

    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    assert user_a.email in mailoutbox[0].to
    assert "136.50 EUR" in mailoutbox[0].body
    assert f"http://portal.example/claims/{claim.pk}/#costs" in mailoutbox[0].body
    notification = Notification.objects.get(kind="claims.costs_released")
    assert notification.recipient == user_a and "136.50 EUR" in notification.body


def test_customer_sees_costs_only_once_released(claim, engineer, user_a):
    add(claim, engineer)
    assert summary_for(claim, user_a) is None

    costs.costs_release(claim=claim, actor=engineer)

    assert summary_for(claim, user_a).total_shown == Decimal("136.50")


def test_dispute_reopen_edit_release_accept(released, engineer, user_a):
    costs.costs_dispute(claim=released, actor=user_a, reason="Sorting took 2 hours, not 3.")
    costs.costs_reopen(claim=released, actor=engineer)
    assert summary_for(released, user_a) is None

    line = released.costs.get(category="sorting")
    costs.cost_line_update(line=line, actor=engineer, quantity="2")
    costs.costs_release(claim=released, actor=engineer)
    costs.costs_accept(claim=released, actor=user_a)

    sheet = ClaimCostSheet.objects.get(claim=released)
    assert sheet.status == ClaimCostSheet.Status.ACCEPTED
    assert sheet.customer_decided_by == user_a
    assert summary_for(released, user_a).total_shown == Decimal("91.33")
    actions = list(
        ClaimEvent.objects.filter(claim=released, action__startswith="costs_")
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "costs_release",
        "costs_dispute",
        "costs_reopen",
        "costs_release",
        "costs_accept",
    ]
    assert sheet.history.count() >= 5


def test_accepting_twice_is_an_invalid_transition(released, user_a):
    costs.costs_accept(claim=released, actor=user_a)

    with pytest.raises(InvalidTransition):
        costs.costs_accept(claim=released, actor=user_a)


# --- pages ---------------------------------------------------------------------------------------


def card_url(claim):
    return reverse("claims:cost-card", args=[claim.pk])


def transition_url(claim, action):
    return reverse("claims:cost-transition", args=[claim.pk, action])


def test_claim_page_loads_the_cost_card(client_for, claim, engineer):
    page = client_for(engineer).get(claim.get_absolute_url()).content.decode()

    assert card_url(claim) in page


def test_customer_page_shows_nothing_of_draft_costs(client_for, claim, engineer, user_a):
    add(claim, engineer, description="Secret sorting estimate")
    client = client_for(user_a)

    page = client.get(claim.get_absolute_url()).content.decode()
    card = client.get(card_url(claim))

    assert "Secret sorting estimate" not in page
    assert card.status_code == 200
    assert card.content == b""


def test_engineer_sees_draft_card_with_total_and_form(client_for, claim, engineer):
    add(claim, engineer)
    add(claim, engineer, category="admin_fee", quantity="1", unit="flat", rate="0.3333")

    card = client_for(engineer).get(card_url(claim)).content.decode()

    assert "136.83 EUR" in card
    assert reverse("claims:cost-line-add", args=[claim.pk]) in card
    assert transition_url(claim, "release") in card


def test_engineer_adds_a_line_and_releases_through_the_page(client_for, claim, engineer):
    client = client_for(engineer)
    data = {
        "category": "sorting",
        "description": "Sorting",
        "quantity": "3",
        "unit": "h",
        "rate": "45.50",
        "currency": "EUR",
        "technical_factor_percent": "100",
        "evidence": "SR-17",
    }

    client.post(reverse("claims:cost-line-add", args=[claim.pk]), data)
    client.post(transition_url(claim, "release"))

    sheet = ClaimCostSheet.objects.get(claim=claim)
    assert sheet.status == ClaimCostSheet.Status.RELEASED
    assert sheet.lines.get().evidence == "SR-17"


def test_engineer_removes_a_draft_line(client_for, claim, engineer):
    line = add(claim, engineer)

    client_for(engineer).post(reverse("claims:cost-line-remove", args=[claim.pk, line.pk]))

    assert not ClaimCost.objects.exists()
    assert line.history.filter(history_type="-").exists()


def test_customer_accepts_released_costs_on_the_page(client_for, released, user_a):
    client = client_for(user_a)
    card = client.get(card_url(released)).content.decode()
    assert "136.83 EUR" in card
    assert transition_url(released, "accept") in card
    assert reverse("claims:cost-line-add", args=[released.pk]) not in card

    client.post(transition_url(released, "accept"))

    assert ClaimCostSheet.objects.get(claim=released).status == ClaimCostSheet.Status.ACCEPTED


def test_customer_disputes_with_a_reason_on_the_page(client_for, released, user_a):
    client_for(user_a).post(transition_url(released, "dispute"), {"reason": "Too many hours"})

    sheet = ClaimCostSheet.objects.get(claim=released)
    assert sheet.status == ClaimCostSheet.Status.DISPUTED
    assert sheet.dispute_reason == "Too many hours"


def test_invalid_transition_on_the_page_shows_a_message_and_changes_nothing(
    client_for, released, engineer
):
    events = ClaimEvent.objects.count()

    response = client_for(engineer).post(transition_url(released, "release"), follow=True)

    assert "is not possible" in response.content.decode()
    assert ClaimCostSheet.objects.get(claim=released).status == ClaimCostSheet.Status.RELEASED
    assert ClaimEvent.objects.count() == events


def test_customer_cannot_act_on_draft_costs_on_the_page(client_for, claim, engineer, user_a):
    add(claim, engineer)

    response = client_for(user_a).post(transition_url(claim, "accept"))

    assert response.status_code == 404
    assert ClaimCostSheet.objects.get(claim=claim).status == ClaimCostSheet.Status.DRAFT


def test_customer_b_gets_404_on_a_cost_pages(client_for, released, user_b):
    client = client_for(user_b)

    assert client.get(card_url(released)).status_code == 404
    assert client.post(transition_url(released, "accept")).status_code == 404
    line = released.costs.first()
    remove_url = reverse("claims:cost-line-remove", args=[released.pk, line.pk])
    assert client.post(remove_url).status_code == 404
    assert ClaimCostSheet.objects.get(claim=released).status == ClaimCostSheet.Status.RELEASED


# --- editing a line on the page -----------------------------------------------------------------


def edit_url(line):
    return reverse("claims:cost-line-edit", args=[line.claim_id, line.pk])


def edit_data(line, **changes):
    fields = {
        "category": line.category,
        "description": line.description,
        "quantity": str(line.quantity),
        "unit": line.unit,
        "rate": str(line.rate),
        "currency": line.currency,
        "technical_factor_percent": str(line.technical_factor_percent),
        "evidence": line.evidence,
        **changes,
    }
    return {f"line-{line.pk}-{name}": value for name, value in fields.items()}


def test_card_offers_each_draft_line_for_editing_with_its_values(client_for, claim, engineer):
    line = add(claim, engineer)

    card = client_for(engineer).get(card_url(claim)).content.decode()

    assert edit_url(line) in card
    assert f'name="line-{line.pk}-quantity" value="3"' in card
    assert f'name="line-{line.pk}-rate" value="45.5"' in card


def test_engineer_edits_a_draft_line(client_for, claim, engineer):
    line = add(claim, engineer)
    other = add(claim, engineer, category="admin_fee", quantity="1", unit="flat", rate="10")
    data = edit_data(line, quantity="4", description="Sorting, second shift")

    response = client_for(engineer).post(edit_url(line), data, follow=True)

    assert "Saved." in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == Decimal("4")
    assert line.description == "Sorting, second shift"
    assert summary_for(claim, engineer).total == Decimal("192.00")
    other.refresh_from_db()
    assert other.quantity == Decimal("1")
    assert line.history.first().history_change_reason == "Cost line changed"


def test_edit_goes_through_the_line_rules(client_for, claim, engineer):
    line = add(claim, engineer)

    response = client_for(engineer).post(
        edit_url(line), edit_data(line, technical_factor_percent="50"), follow=True
    )

    assert "A technical factor applies to warranty costs only." in response.content.decode()
    line.refresh_from_db()
    assert line.technical_factor_percent == Decimal(100)


def test_invalid_edit_form_shows_messages_and_changes_nothing(client_for, claim, engineer):
    line = add(claim, engineer)

    response = client_for(engineer).post(edit_url(line), edit_data(line, rate="lots"), follow=True)

    assert "Rate:" in response.content.decode()
    line.refresh_from_db()
    assert line.rate == Decimal("45.50")


def test_editing_a_released_line_is_refused_and_changes_nothing(client_for, released, engineer):
    line = released.costs.order_by("pk").first()
    before = summary_for(released, engineer).total
    client = client_for(engineer)
    assert edit_url(line) not in client.get(card_url(released)).content.decode()

    response = client.post(edit_url(line), edit_data(line, quantity="99"), follow=True)

    assert response.status_code == 200
    assert "Cost lines cannot be changed while the costs are" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == Decimal("3")
    assert summary_for(released, engineer).total == before
    assert ClaimCostSheet.objects.get(claim=released).status == ClaimCostSheet.Status.RELEASED


def test_customer_cannot_edit_lines(client_for, released, engineer, user_a, user_b):
    draft_claim = file_claim(actor=user_a)
    draft_line = add(draft_claim, engineer)
    released_line = released.costs.order_by("pk").first()

    customer = client_for(user_a)
    assert customer.post(edit_url(draft_line), edit_data(draft_line)).status_code == 404
    data = edit_data(released_line, quantity="1")
    assert customer.post(edit_url(released_line), data).status_code == 403
    assert client_for(user_b).post(edit_url(released_line), data).status_code == 404
    released_line.refresh_from_db()
    assert released_line.quantity == Decimal("3")
    assert edit_url(released_line) not in customer.get(card_url(released)).content.decode()


def test_edit_needs_a_post(client_for, claim, engineer):
    line = add(claim, engineer)

    assert client_for(engineer).get(edit_url(line)).status_code == 405


# --- API -----------------------------------------------------------------------------------------


def api_url(claim, suffix=""):
    return f"/api/v1/claims/{claim.pk}/costs/{suffix}"


LINE = {"category": "sorting", "quantity": "3", "unit": "h", "rate": "45.50"}


def test_api_customer_gets_404_before_release(api_client_for, claim, engineer, user_a):
    add(claim, engineer)

    assert api_client_for(user_a).get(api_url(claim)).status_code == 404


def test_api_engineer_gets_an_empty_draft(api_client_for, claim, engineer):
    response = api_client_for(engineer).get(api_url(claim))

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["lines"] == []
    assert response.json()["total"] == "0.00"


def test_api_full_flow(api_client_for, claim, engineer, user_a):
    staff, customer = api_client_for(engineer), api_client_for(user_a)

    created = staff.post(api_url(claim, "lines/"), LINE, format="json")
    assert created.status_code == 201
    assert created.json()["amount"] == "136.50"
    warranty = {
        "category": "warranty",
        "quantity": "10",
        "unit": "pcs",
        "rate": "12.345",
        "technical_factor_percent": "50",
    }
    assert staff.post(api_url(claim, "lines/"), warranty, format="json").status_code == 201
    assert staff.post(api_url(claim, "release/")).status_code == 200

    sheet = customer.get(api_url(claim))
    assert sheet.status_code == 200
    assert sheet.json()["total"] == "198.23"  # 136.50 + 61.725, rounded once
    assert sheet.json()["currency"] == "EUR"

    disputed = customer.post(api_url(claim, "dispute/"), {"reason": "Too much"}, format="json")
    assert disputed.json()["status"] == "disputed"
    assert staff.post(api_url(claim, "reopen/")).json()["status"] == "draft"
    assert customer.get(api_url(claim)).status_code == 404
    line_id = created.json()["id"]
    patched = staff.patch(api_url(claim, f"lines/{line_id}/"), {"quantity": "2"}, format="json")
    assert patched.json()["amount"] == "91.00"
    staff.post(api_url(claim, "release/"))

    accepted = customer.post(api_url(claim, "accept/"), {}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["total"] == "152.73"


def test_api_invalid_transition_is_409_and_changes_nothing(api_client_for, released, user_a):
    customer = api_client_for(user_a)
    customer.post(api_url(released, "accept/"))

    response = customer.post(api_url(released, "dispute/"), {"reason": "late"}, format="json")

    assert response.status_code == 409
    assert ClaimCostSheet.objects.get(claim=released).status == ClaimCostSheet.Status.ACCEPTED


def test_api_capabilities_are_403(api_client_for, released, engineer, user_a):
    customer, staff = api_client_for(user_a), api_client_for(engineer)

    assert customer.post(api_url(released, "lines/"), LINE, format="json").status_code == 403
    assert staff.post(api_url(released, "accept/")).status_code == 403


def test_api_engineer_removes_a_draft_line(api_client_for, claim, engineer):
    staff = api_client_for(engineer)
    line_id = staff.post(api_url(claim, "lines/"), LINE, format="json").json()["id"]

    response = staff.post(api_url(claim, f"lines/{line_id}/remove/"))

    assert response.status_code == 204
    assert staff.get(api_url(claim)).json()["lines"] == []


def test_api_mixed_currency_is_400(api_client_for, claim, engineer):
    staff = api_client_for(engineer)
    staff.post(api_url(claim, "lines/"), LINE, format="json")

    response = staff.post(api_url(claim, "lines/"), {**LINE, "currency": "USD"}, format="json")

    assert response.status_code == 400
    assert "currency" in response.json()
    assert ClaimCost.objects.count() == 1


def test_api_customer_b_gets_404(api_client_for, released, user_b):
    client = api_client_for(user_b)
    line = released.costs.first()

    assert client.get(api_url(released)).status_code == 404
    assert client.post(api_url(released, "accept/")).status_code == 404
    assert client.post(api_url(released, "lines/"), LINE, format="json").status_code == 404
    assert client.post(api_url(released, f"lines/{line.pk}/remove/")).status_code == 404
    assert client.patch(api_url(released, f"lines/{line.pk}/"), LINE).status_code == 404
