"""Issue 5 acceptance: the customer approves a change notice in the portal with their signature,
and the change proceeds (the ECN can be released), all through the real pages in Chromium."""

import pytest

from accounts.models import User
from changes import services
from changes.models import ChangeRequest
from core.models import Signature
from customers.demo import DEMO_PASSWORD
from customers.models import Customer, Part
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

CUSTOMER = "quality@autowerk.example"


def _notice_waiting_for_autowerk() -> ChangeRequest:
    """A change that passed the review board and waits for Autowerk's decision."""
    engineer = User.objects.get(email="engineer@demo.example")
    manager = User.objects.get(email="manager@demo.example")
    change = services.change_create(
        actor=engineer,
        customer=Customer.objects.get(code="AUTOWERK"),
        title="Hinge pin hardening moved to induction",
        change_type=ChangeRequest.Type.PROCESS,
        origin=ChangeRequest.Origin.INTERNAL,
        reason="Case hardening furnace replaced",
        description_before="Case hardened in batch furnace",
        description_after="Induction hardened in line",
        customer_approval_required=True,
        customer_approval_basis=ChangeRequest.ApprovalBasis.CSR,
    )
    part = Part.objects.get(part_number="HN-21-1001")
    services.affected_part_add(change=change, actor=engineer, part=part, new_revision="B")
    services.assessor_add(change=change, actor=engineer, function="quality", user=engineer)
    services.approver_add(change=change, actor=engineer, function="quality", user=manager)
    services.change_submit(change=change, actor=engineer)
    services.change_start_assessment(change=change, actor=engineer)
    services.assessment_record(
        assessor=change.assessors.get(), actor=engineer, assessment="Hardness depth unchanged"
    )
    services.board_approve(approver=change.approvers.get(), actor=manager, password=DEMO_PASSWORD)
    return ChangeRequest.objects.get(pk=change.pk)


def test_customer_approves_a_change_notice_and_the_change_proceeds(page, live_server, demo):
    change = _notice_waiting_for_autowerk()
    assert change.status == ChangeRequest.Status.CUSTOMER_APPROVAL

    sign_in(page, live_server, CUSTOMER)
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_text("Change notices awaiting your decision").click()
    with page.expect_navigation():
        page.get_by_role("link", name=change.number).click()

    page.locator("summary", has_text="Approve the change").click()
    form = page.locator("form:has(input[name$=password])").first
    form.locator("input[name$=password]").fill("not my password")
    with page.expect_navigation():
        form.get_by_role("button", name="Approve the change").click()
    assert "password is not correct" in page.content()
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.CUSTOMER_APPROVAL

    page.locator("summary", has_text="Approve the change").click()
    form = page.locator("form:has(input[name$=password])").first
    form.locator("input[name$=password]").fill(DEMO_PASSWORD)
    form.locator("textarea[name$=comment]").fill("Agreed; first lots marked green.")
    with page.expect_navigation():
        form.get_by_role("button", name="Approve the change").click()

    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert "Approved" in page.locator("h1").inner_text()
    signature = Signature.objects.for_owner(change).get(signer__email=CUSTOMER)
    assert signature.signer_organisation == "Autowerk AG"
    assert page.console.errors == []

    # The change proceeds: the manager can now release the ECN.
    manager = User.objects.get(email="manager@demo.example")
    services.change_release(change=change, actor=manager, password=DEMO_PASSWORD)
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.RELEASED
