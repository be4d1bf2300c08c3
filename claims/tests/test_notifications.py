"""Who is told what about a claim (the claims part of the notification matrix).

Every event is checked for its in-app notifications and its mails, and that the other
customer's users hear nothing.
"""

import pytest
from django.core import mail

from accounts.roles import Role
from accounts.tests.factories import CustomerUserFactory, UserFactory
from claims import costs, services
from claims import notification_kinds as kinds
from claims.models import Claim, EightDStep
from notifications.kinds import Delivery
from notifications.models import Notification, NotificationPreference

from .factories import file_claim, fill_step

pytestmark = pytest.mark.django_db

RECIPIENTS = "quality-reports@autowerk.example"


@pytest.fixture
def responsible(customer_a):
    person = UserFactory(email="responsible@example.com", full_name="Rita Responsible")
    customer_a.responsible_engineers.set([person])
    return person


@pytest.fixture
def manager_2(db):
    return UserFactory(email="manager2@example.com", role=Role.MANAGER)


@pytest.fixture
def colleague_a(customer_a):
    """Another user of customer A, not involved in the claim."""
    return CustomerUserFactory(email="colleague@autowerk.example", customer=customer_a)


@pytest.fixture
def contact_a(customer_a):
    """The user of customer A named as the claim's contact."""
    return CustomerUserFactory(email="contact@autowerk.example", customer=customer_a)


@pytest.fixture
def others(user_b, colleague_a, admin_user):
    """Who must not hear of A's claim: B's user, an uninvolved A user, the administrator."""
    return [user_b, colleague_a]


@pytest.fixture
def claim(user_a, contact_a, engineer, customer_a):
    requirements = customer_a.requirements
    requirements.report_recipients = RECIPIENTS
    requirements.save()
    claim = file_claim(actor=user_a, customer_contact="Carl Contact <contact@autowerk.example>")
    services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    return claim


def told(kind) -> set[str]:
    """The addresses (users' and mail-only) told of ``kind``."""
    return {row.address for row in Notification.objects.filter(kind=kind)}


def mailed(kind_title_part: str = "") -> set[str]:
    return {
        address
        for message in mail.outbox
        if kind_title_part in message.subject
        for address in message.to
    }


def assert_nobody_else(people, kind):
    addresses = told(kind)
    for person in people:
        assert person.email not in addresses, (person, kind)
        assert person.email not in mailed(), person


def run(capture, service, **kwargs):
    mail.outbox.clear()
    with capture(execute=True):
        return service(**kwargs)


# --- new claims ----------------------------------------------------------------------------------


class TestSubmitted:
    def test_customer_filing_tells_the_responsible_engineer(
        self, user_a, responsible, manager, engineer, others, django_capture_on_commit_callbacks
    ):
        claim = run(django_capture_on_commit_callbacks, file_claim, actor=user_a)

        assert told(kinds.SUBMITTED) == {responsible.email}
        row = Notification.objects.get(kind=kinds.SUBMITTED)
        assert claim.number in row.title and "Autowerk AG" in row.title
        assert row.url == f"/claims/{claim.pk}/" and not row.urgent
        assert mailed(claim.number) == {responsible.email}
        assert not told(kinds.SAFETY_ALERT)
        assert_nobody_else([*others, manager, engineer, user_a], kinds.SUBMITTED)

    def test_without_responsible_engineers_the_active_managers_are_told(
        self, user_a, manager, manager_2, engineer, others, django_capture_on_commit_callbacks
    ):
        UserFactory(email="retired@example.com", role=Role.MANAGER, is_active=False)

        run(django_capture_on_commit_callbacks, file_claim, actor=user_a)

        assert told(kinds.SUBMITTED) == {manager.email, manager_2.email}
        assert mailed() == {manager.email, manager_2.email}
        assert_nobody_else(others, kinds.SUBMITTED)

    def test_a_draft_tells_nobody_until_it_is_submitted(
        self, user_a, responsible, others, django_capture_on_commit_callbacks
    ):
        draft = file_claim(actor=user_a, submit=False)
        assert not Notification.objects.exists()

        run(django_capture_on_commit_callbacks, services.claim_submit, claim=draft, actor=user_a)

        assert told(kinds.SUBMITTED) == {responsible.email}
        assert mailed() == {responsible.email}
        assert_nobody_else(others, kinds.SUBMITTED)

    def test_staff_filing_tells_the_responsible_engineers_but_not_the_filer(
        self, customer_a, engineer, responsible, others, django_capture_on_commit_callbacks
    ):
        customer_a.responsible_engineers.add(engineer)

        run(django_capture_on_commit_callbacks, file_claim, actor=engineer, customer=customer_a)

        assert told(kinds.SUBMITTED) == {responsible.email}
        assert_nobody_else(others, kinds.SUBMITTED)

    @pytest.mark.parametrize("severity", ["safety", "critical"])
    def test_safety_and_critical_claims_reach_every_manager_at_once(
        self,
        severity,
        user_a,
        responsible,
        manager,
        manager_2,
        others,
        django_capture_on_commit_callbacks,
    ):
        claim = run(django_capture_on_commit_callbacks, file_claim, actor=user_a, severity=severity)

        expected = {responsible.email, manager.email, manager_2.email}
        assert told(kinds.SAFETY_ALERT) == expected
        rows = Notification.objects.filter(kind=kinds.SAFETY_ALERT)
        assert all(row.urgent and row.delivery == Delivery.IMMEDIATE for row in rows)
        assert severity.capitalize() in rows[0].title and claim.number in rows[0].title
        assert mailed(claim.number) == expected
        assert not told(kinds.SUBMITTED)  # one alert, not two messages each
        assert_nobody_else([*others, user_a], kinds.SAFETY_ALERT)

    def test_a_safety_alert_cannot_be_switched_off(
        self, user_a, manager, django_capture_on_commit_callbacks
    ):
        NotificationPreference.objects.create(
            user=manager, kind=kinds.SAFETY_ALERT, delivery=Delivery.PORTAL
        )
        NotificationPreference.objects.create(
            user=manager, kind=kinds.SUBMITTED, delivery=Delivery.PORTAL
        )

        run(django_capture_on_commit_callbacks, file_claim, actor=user_a, severity="safety")

        assert Notification.objects.get(recipient=manager).delivery == Delivery.IMMEDIATE
        assert manager.email in mailed()

    def test_the_alert_is_in_each_managers_language(
        self, user_a, manager, manager_2, django_capture_on_commit_callbacks
    ):
        manager_2.language = "de"
        manager_2.save(update_fields=["language"])

        run(django_capture_on_commit_callbacks, file_claim, actor=user_a, severity="safety")

        assert "Safety claim" in Notification.objects.get(recipient=manager).title
        assert "Sicherheit" in Notification.objects.get(recipient=manager_2).title


# --- our answer, told to the customer ------------------------------------------------------------


def _customer_told(kind, user_a, contact_a):
    return told(kind) == {user_a.email, contact_a.email, RECIPIENTS}


class TestToTheCustomer:
    def test_acknowledged(
        self, claim, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        run(
            django_capture_on_commit_callbacks,
            services.claim_acknowledge,
            claim=claim,
            actor=engineer,
        )

        assert _customer_told(kinds.ACKNOWLEDGED, user_a, contact_a)
        assert mailed(claim.number) == {user_a.email, contact_a.email, RECIPIENTS}
        assert "QN-4711" in Notification.objects.filter(kind=kinds.ACKNOWLEDGED)[0].body
        assert_nobody_else([*others, engineer], kinds.ACKNOWLEDGED)

    def test_a_staff_filer_is_not_told_as_a_customer(
        self, customer_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        claim = file_claim(actor=engineer, customer=customer_a)

        run(
            django_capture_on_commit_callbacks,
            services.claim_acknowledge,
            claim=claim,
            actor=manager,
        )

        assert told(kinds.ACKNOWLEDGED) == set()
        assert mail.outbox == []

    def test_a_contact_of_another_customer_is_not_told(
        self, user_a, user_b, engineer, django_capture_on_commit_callbacks
    ):
        claim = file_claim(actor=user_a, customer_contact=user_b.email)

        run(
            django_capture_on_commit_callbacks,
            services.claim_acknowledge,
            claim=claim,
            actor=engineer,
        )

        assert told(kinds.ACKNOWLEDGED) == {user_a.email}

    def test_responsibility_accepted(
        self, claim, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        services.claim_acknowledge(claim=claim, actor=engineer)
        services.claim_start_review(claim=claim, actor=engineer)

        run(
            django_capture_on_commit_callbacks,
            services.claim_accept_responsibility,
            claim=claim,
            actor=engineer,
        )

        assert _customer_told(kinds.RESPONSIBILITY_ACCEPTED, user_a, contact_a)
        assert mailed("accepted as our responsibility") == {
            user_a.email,
            contact_a.email,
            RECIPIENTS,
        }
        assert_nobody_else(others, kinds.RESPONSIBILITY_ACCEPTED)

    def test_responsibility_rejected_with_the_reason(
        self, claim, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        services.claim_acknowledge(claim=claim, actor=engineer)
        services.claim_start_review(claim=claim, actor=engineer)

        run(
            django_capture_on_commit_callbacks,
            services.claim_reject_responsibility,
            claim=claim,
            actor=engineer,
            reason_code="no_fault_found",
            reason="All 12 returned parts measured within tolerance (report MR-88).",
        )

        assert _customer_told(kinds.RESPONSIBILITY_REJECTED, user_a, contact_a)
        body = Notification.objects.filter(kind=kinds.RESPONSIBILITY_REJECTED)[0].body
        assert "No fault found" in body and "report MR-88" in body
        message = next(m for m in mail.outbox if m.to == [user_a.email])
        assert "report MR-88" in message.body
        assert_nobody_else(others, kinds.RESPONSIBILITY_REJECTED)

    def test_step_submitted_without_our_internal_note(
        self, claim, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        services.claim_acknowledge(claim=claim, actor=engineer)
        step = claim.steps.get(code="D0")
        fill_step(claim, "D0", engineer)
        services.step_save(
            step=step, actor=engineer, summary="Stock blocked", internal_note="SECRET margin"
        )

        run(django_capture_on_commit_callbacks, services.step_submit, step=step, actor=engineer)

        assert _customer_told(kinds.STEP_SUBMITTED, user_a, contact_a)
        for row in Notification.objects.filter(kind=kinds.STEP_SUBMITTED):
            assert "D0 Prepare" in row.title and "Stock blocked" in row.body
            assert "SECRET" not in row.title + row.body
        assert all("SECRET" not in m.body for m in mail.outbox)
        assert mailed("D0") == {user_a.email, contact_a.email, RECIPIENTS}
        assert_nobody_else(others, kinds.STEP_SUBMITTED)

    def test_costs_are_told_only_once_released(
        self, claim, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        costs.cost_line_add(
            claim=claim,
            actor=engineer,
            category="sorting",
            quantity="3",
            unit="h",
            rate="45.50",
            description="Sorting",
        )
        assert not told(kinds.COSTS_RELEASED)
        assert "136" not in "".join(Notification.objects.values_list("body", flat=True))

        run(django_capture_on_commit_callbacks, costs.costs_release, claim=claim, actor=engineer)

        assert _customer_told(kinds.COSTS_RELEASED, user_a, contact_a)
        row = Notification.objects.get(kind=kinds.COSTS_RELEASED, recipient=user_a)
        assert "136.50 EUR" in row.body and row.url.endswith("#costs")
        assert mailed("costs released") == {user_a.email, contact_a.email, RECIPIENTS}
        assert_nobody_else(others, kinds.COSTS_RELEASED)

    def test_costs_amount_is_localised(self, claim, user_a, engineer):
        user_a.language = "de"
        user_a.save(update_fields=["language"])
        costs.cost_line_add(
            claim=claim, actor=engineer, category="sorting", quantity="3", unit="h",
            rate="45.50", description="Sorting",
        )  # fmt: skip
        costs.costs_release(claim=claim, actor=engineer)

        assert "136,50 EUR" in Notification.objects.get(recipient=user_a).body


# --- the customer's answers, told to us ----------------------------------------------------------


@pytest.fixture
def in_8d(claim, engineer):
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    return claim


def _submitted(claim, code, engineer):
    step = claim.steps.get(code=code)
    fill_step(claim, code, engineer)
    services.step_save(step=step, actor=engineer, summary=f"{code} done")
    services.step_submit(step=step, actor=engineer)
    return EightDStep.objects.get(pk=step.pk)


class TestToUs:
    def test_step_approved(
        self, in_8d, user_a, engineer, manager, others, django_capture_on_commit_callbacks
    ):
        step = _submitted(in_8d, "D0", engineer)

        run(django_capture_on_commit_callbacks, services.step_approve, step=step, actor=user_a)

        assert told(kinds.STEP_DECIDED) == {engineer.email}
        row = Notification.objects.get(kind=kinds.STEP_DECIDED)
        assert "D0 Prepare approved" in row.title
        assert mailed("approved") == {engineer.email}
        assert_nobody_else([*others, manager, user_a], kinds.STEP_DECIDED)

    def test_step_sent_back(
        self, in_8d, user_a, engineer, manager, others, django_capture_on_commit_callbacks
    ):
        step = _submitted(in_8d, "D0", engineer)

        run(
            django_capture_on_commit_callbacks,
            services.step_send_back,
            step=step,
            actor=user_a,
            comment="Which lots are blocked?",
        )

        row = Notification.objects.get(kind=kinds.STEP_DECIDED)
        assert row.recipient == engineer and "sent back" in row.title
        assert "Which lots are blocked?" in row.body
        assert mailed("sent back") == {engineer.email}
        assert_nobody_else([*others, manager], kinds.STEP_DECIDED)

    def test_unassigned_claims_go_to_the_responsible_engineer_else_the_managers(
        self, in_8d, user_a, engineer, manager, responsible, django_capture_on_commit_callbacks
    ):
        Claim.objects.filter(pk=in_8d.pk).update(assigned_engineer=None)
        step = _submitted(in_8d, "D0", engineer)
        run(django_capture_on_commit_callbacks, services.step_approve, step=step, actor=user_a)
        assert told(kinds.STEP_DECIDED) == {responsible.email}

        in_8d.customer.responsible_engineers.clear()
        step = _submitted(in_8d, "D1", engineer)
        run(django_capture_on_commit_callbacks, services.step_approve, step=step, actor=user_a)
        assert told(kinds.STEP_DECIDED) == {responsible.email, manager.email}

    def test_customer_accepts_the_8d_closes_the_claim(
        self, in_8d, user_a, contact_a, engineer, others, django_capture_on_commit_callbacks
    ):
        Claim.objects.filter(pk=in_8d.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
        _submitted(in_8d, "D8", engineer)

        run(
            django_capture_on_commit_callbacks,
            services.claim_customer_accept,
            claim=in_8d,
            actor=user_a,
            comment="Thanks, effective.",
        )

        # The customer's other people hear of the closure; the one who accepted does not.
        assert told(kinds.CLOSED) == {contact_a.email, RECIPIENTS}
        assert told(kinds.EIGHT_D_DECIDED) == {engineer.email}
        assert "Thanks, effective." in Notification.objects.get(kind=kinds.EIGHT_D_DECIDED).body
        assert mailed("claim closed") == {contact_a.email, RECIPIENTS}
        assert mailed("accepted the 8D") == {engineer.email}
        assert_nobody_else(others, kinds.CLOSED)
        assert_nobody_else(others, kinds.EIGHT_D_DECIDED)

    def test_a_manager_accepting_for_the_customer_tells_the_customer(
        self, in_8d, user_a, contact_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        Claim.objects.filter(pk=in_8d.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
        _submitted(in_8d, "D8", engineer)

        run(
            django_capture_on_commit_callbacks,
            services.claim_customer_accept,
            claim=in_8d,
            actor=manager,
        )

        assert _customer_told(kinds.CLOSED, user_a, contact_a)
        assert told(kinds.EIGHT_D_DECIDED) == {engineer.email}

    def test_customer_rejects_the_8d(
        self, in_8d, user_a, engineer, others, django_capture_on_commit_callbacks
    ):
        Claim.objects.filter(pk=in_8d.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)

        run(
            django_capture_on_commit_callbacks,
            services.claim_customer_reject,
            claim=in_8d,
            actor=user_a,
            reason="Burr found again in lot 2612",
        )

        row = Notification.objects.get(kind=kinds.EIGHT_D_DECIDED)
        assert row.recipient == engineer and "rejected the 8D" in row.title
        assert "lot 2612" in row.body
        assert mailed("rejected the 8D") == {engineer.email}
        assert_nobody_else([*others, user_a], kinds.EIGHT_D_DECIDED)

    def test_customer_comment(
        self, claim, user_a, engineer, manager, others, django_capture_on_commit_callbacks
    ):
        run(
            django_capture_on_commit_callbacks,
            services.comment_add,
            claim=claim,
            actor=user_a,
            body="Any news?",
        )

        row = Notification.objects.get(kind=kinds.COMMENTED)
        assert row.recipient == engineer and row.body == "Any news?"
        assert row.url == f"/claims/{claim.pk}/#comments"
        assert mailed("new comment") == {engineer.email}
        assert_nobody_else([*others, manager], kinds.COMMENTED)

    def test_our_own_comments_tell_nobody(
        self, claim, engineer, manager, django_capture_on_commit_callbacks
    ):
        run(
            django_capture_on_commit_callbacks,
            services.comment_add,
            claim=claim,
            actor=manager,
            body="Internal: check press 4",
            internal=True,
        )

        assert not told(kinds.COMMENTED)
        assert mail.outbox == []

    @pytest.mark.parametrize("dispute", [True, False])
    def test_customer_decides_on_the_costs(
        self, dispute, claim, user_a, engineer, others, django_capture_on_commit_callbacks
    ):
        costs.cost_line_add(
            claim=claim, actor=engineer, category="sorting", quantity="3", unit="h",
            rate="45.50", description="Sorting",
        )  # fmt: skip
        costs.costs_release(claim=claim, actor=engineer)

        if dispute:
            run(
                django_capture_on_commit_callbacks,
                costs.costs_dispute,
                claim=claim,
                actor=user_a,
                reason="Sorting was 2 h, not 3 h",
            )
        else:
            run(django_capture_on_commit_callbacks, costs.costs_accept, claim=claim, actor=user_a)

        row = Notification.objects.get(kind=kinds.COSTS_DECIDED)
        assert row.recipient == engineer
        assert ("disputes" in row.title) is dispute
        assert ("Sorting was 2 h" in row.body) is dispute
        assert mailed("costs") == {engineer.email}
        assert_nobody_else([*others, user_a], kinds.COSTS_DECIDED)


def test_every_kind_is_registered_with_the_right_audience():
    from notifications.kinds import Audience, get

    assert get(kinds.SAFETY_ALERT).mandatory
    assert get(kinds.STEP_DUE_SOON).default_delivery == Delivery.DIGEST
    assert get(kinds.STEP_OVERDUE).default_delivery == Delivery.IMMEDIATE
    for key in (kinds.ACKNOWLEDGED, kinds.STEP_SUBMITTED, kinds.COSTS_RELEASED, kinds.CLOSED):
        assert get(key).audience == Audience.CUSTOMER
    for key in (kinds.SUBMITTED, kinds.NOT_ACKNOWLEDGED, kinds.COMMENTED, kinds.STEP_OVERDUE):
        assert get(key).audience == Audience.INTERNAL
