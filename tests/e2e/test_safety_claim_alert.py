"""A customer files a safety claim; the responsible engineer sees it under the bell at once and
its mail links straight to the claim; every quality manager is alerted too (mandatory kind)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from claims import notification_kinds as kinds
from claims.models import Claim
from customers.models import Customer, Part
from notifications.models import Notification
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

CUSTOMER = "quality@autowerk.example"
ENGINEER = "engineer@demo.example"  # the demo's responsible engineer of Autowerk
MANAGER = "manager@demo.example"
REFERENCE = "AW-QN-E2E-SAFETY"


def _file_safety_claim(page, live_server, part):
    page.goto(f"{live_server.url}/claims/")
    with page.expect_navigation():
        page.get_by_role("link", name="File a claim").first.click()
    page.select_option("select[name=part]", str(part.pk))
    page.select_option("select[name=kind]", "field")
    page.select_option("select[name=severity]", "safety")
    page.fill("input[name=customer_reference]", REFERENCE)
    page.select_option("select[name=detection_location]", "field_dealer")
    page.fill(
        "input[name=detection_date]", (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )
    page.fill("textarea[name=symptom]", "Bracket cracked at the weld, steering column loose.")
    page.fill("input[name=suspect_qty]", "40")
    page.fill("input[name=nonconforming_qty]", "2")
    with page.expect_navigation():
        page.click("button[name=submit]")


def _mail_to(address: str, number: str):
    found = [m for m in mail.outbox if m.to == [address] and number in m.subject]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def test_safety_claim_alerts_the_engineer_and_the_managers(
    page, other_page, live_server, demo, settings
):
    expect = pytest.importorskip("playwright.sync_api").expect
    # Mails link to the portal the reader can open: here, the live server.
    settings.PORTAL_BASE_URL = live_server.url
    autowerk = Customer.objects.get(code="AUTOWERK")
    assert list(autowerk.responsible_engineers.values_list("email", flat=True)) == [ENGINEER]
    part = Part.objects.filter(customer=autowerk).order_by("part_number").first()
    mail.outbox.clear()

    sign_in(page, live_server, CUSTOMER)
    _file_safety_claim(page, live_server, part)

    claim = Claim.objects.get(customer_reference=REFERENCE)
    assert claim.severity == Claim.Severity.SAFETY and claim.status == Claim.Status.SUBMITTED
    assert page.url == f"{live_server.url}/claims/{claim.pk}/"
    # The customer is not told of our internal alert.
    assert not Notification.objects.filter(recipient__email=CUSTOMER).exists()

    # The responsible engineer: the bell shows the alert.
    sign_in(other_page, live_server, ENGINEER)
    expect(other_page.get_by_test_id("notification-bell")).to_be_visible()
    expect(other_page.get_by_test_id("notification-count")).to_have_text("1")

    # The mail's deep link opens the claim.
    message = _mail_to(ENGINEER, claim.number)
    link = f"{live_server.url}/claims/{claim.pk}/"
    assert link in message.body
    assert re.search(r"safety", message.subject, re.IGNORECASE)
    other_page.goto(link)
    expect(other_page.locator("h1")).to_contain_text(claim.number)

    # Every quality manager got it too, by mail and in the portal, whatever they chose.
    alert = Notification.objects.get(kind=kinds.SAFETY_ALERT, recipient__email=MANAGER)
    assert alert.urgent and claim.number in alert.title
    assert link in _mail_to(MANAGER, claim.number).body

    assert page.console.errors == []
    assert other_page.console.errors == []
