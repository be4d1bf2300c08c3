import datetime as dt

import pytest
from django.urls import reverse

from claims import costs, services
from claims.eightd import services as eightd
from claims.models import ClaimCostSheet, EightDStep, ReminderLog
from claims.tests.factories import file_claim, fill_step
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


@pytest.fixture
def claim_with_8d_rows(user_a, engineer):
    """An acknowledged claim with a team, containment, causes, actions and read-across."""
    claim = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    services.claim_acknowledge(claim=claim, actor=engineer)
    for code in ("D1", "D3", "D4", "D5"):
        fill_step(claim, code, engineer)
    eightd.read_across_save(
        claim=claim, actor=engineer, scope="line", subject="Press 5 with the same punch"
    )
    return claim


@pytest.mark.django_db
def test_claim_admin_shows_the_8d_rows_read_only(client_for, admin_user, claim_with_8d_rows):
    client = client_for(admin_user)
    url = reverse("admin:claims_claim_change", args=[claim_with_8d_rows.pk])

    page = client.get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Person 0" in html  # D1 team
    assert "Customer stock" in html  # D3 containment per location
    assert "Punch worn beyond its tool life" in html  # D4 cause
    assert "Why 1 → Why 2 → Why 3" in html
    assert "Remove: Punch worn beyond its tool life" in html  # D5 action with its cause
    assert "Press 5 with the same punch" in html  # D7 read-across
    assert 'name="_save"' not in html
    assert 'name="team_members-0-name"' not in html  # shown, not editable


@pytest.mark.django_db
def test_reminder_log_admin_lists_and_searches_read_only(client_for, admin_user, user_a, engineer):
    claim = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    other = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_acknowledge(claim=other, actor=engineer)
    log = ReminderLog.objects.create(
        step=EightDStep.objects.get(claim=claim, code="D3"),
        kind=ReminderLog.Kind.OVERDUE,
        sent_on=dt.date(2026, 3, 4),
    )
    ReminderLog.objects.create(
        step=EightDStep.objects.get(claim=other, code="D4"),
        kind=ReminderLog.Kind.DUE_SOON,
        sent_on=dt.date(2026, 3, 4),
    )
    client = client_for(admin_user)
    listing_url = reverse("admin:claims_reminderlog_changelist")

    listing = client.get(listing_url)
    found = client.get(listing_url, {"q": claim.number})
    overdue_only = client.get(listing_url, {"kind__exact": "overdue"})

    assert listing.status_code == 200
    assert claim.number in listing.content.decode()
    assert "D3 Interim containment" in listing.content.decode()
    assert list(found.context["cl"].result_list) == [log]
    assert list(overdue_only.context["cl"].result_list) == [log]
    assert client.get(reverse("admin:claims_reminderlog_add")).status_code == 403
    page = client.get(reverse("admin:claims_reminderlog_change", args=[log.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
