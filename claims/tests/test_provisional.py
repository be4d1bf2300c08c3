"""Provisional acceptance of an 8D: accepted with a date, proven, then confirmed or sent back.

The claim counts as closed provisionally (not open, not closed) until the customer confirms; our
engineer is reminded once per claim and date before the evidence is due.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from claims import kpis as claim_kpis
from claims import notification_kinds as kinds
from claims import provisional, selectors, services
from claims.models import Claim, ClaimEvent, EightDStep, ProvisionalReminder
from claims.tasks import send_deadline_reminders
from core import limits
from core.errors import Conflict, DomainError, PermissionDenied
from core.waiting import Party, waiting_filter, waiting_for
from metrics.kpis import kpis_for
from notifications.models import Notification

from .factories import file_claim, fill_step

pytestmark = pytest.mark.django_db


def _today(claim) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(claim.customer.time_zone))


def _in_days(claim, days: int) -> dt.date:
    return _today(claim) + dt.timedelta(days=days)


def _step(claim, code) -> EightDStep:
    return EightDStep.objects.get(claim=claim, code=code)


def _run(capture, service, **kwargs):
    """The service in its transaction, the mails it queued delivered."""
    mail.outbox.clear()
    with capture(execute=True):
        return service(**kwargs)


def _mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _told(kind) -> set[str]:
    return {row.address for row in Notification.objects.filter(kind=kind)}


@pytest.fixture
def evaluation(user_a, engineer):
    """Claim A with D0–D7 approved and D8 submitted: waiting for the customer's evaluation."""
    claim = file_claim(actor=user_a)
    services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    claim.steps.exclude(code="D8").update(status=EightDStep.Status.APPROVED)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
    d8 = _step(claim, "D8")
    fill_step(claim, "D8", engineer)
    services.step_save(step=d8, actor=engineer, summary="Team thanked")
    services.step_submit(step=d8, actor=engineer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def accepted(evaluation, user_a):
    """Claim A accepted provisionally, the evidence due in 20 days."""
    provisional.claim_accept_provisionally(
        claim=evaluation, actor=user_a, due_on=_in_days(evaluation, 20)
    )
    evaluation.refresh_from_db()
    return evaluation


def _send_evidence(claim, engineer, text="3 lots of 500 parts without burr; Cpk 1.8"):
    provisional.claim_send_effectiveness_evidence(claim=claim, actor=engineer, evidence=text)
    claim.refresh_from_db()
    return claim


# --- accepting provisionally ---------------------------------------------------------------------


class TestAccept:
    def test_accepts_with_a_date_approves_d8_and_tells_the_engineer(
        self, evaluation, user_a, engineer, user_b, django_capture_on_commit_callbacks
    ):
        due = _in_days(evaluation, 30)
        _run(
            django_capture_on_commit_callbacks,
            provisional.claim_accept_provisionally,
            claim=evaluation,
            actor=user_a,
            due_on=due,
            comment=" Prove it on 3 lots ",
        )

        claim = Claim.objects.get(pk=evaluation.pk)
        assert claim.status == Claim.Status.PROVISIONALLY_CLOSED
        assert claim.effectiveness_due_on == due and claim.provisionally_accepted_at
        assert claim.closed_at is None
        assert _step(claim, "D8").status == EightDStep.Status.APPROVED
        event = ClaimEvent.objects.get(claim=claim, action="customer_accept_provisionally")
        assert (event.from_status, event.to_status) == (
            "customer_evaluation",
            "provisionally_closed",
        )
        assert event.comment == "Prove it on 3 lots" and event.actor == user_a
        assert ClaimEvent.objects.filter(claim=claim, action="step_approve", step_code="D8")
        assert _told(kinds.ACCEPTED_PROVISIONALLY) == {engineer.email}
        row = Notification.objects.get(kind=kinds.ACCEPTED_PROVISIONALLY)
        assert claim.number in row.title and "Prove it on 3 lots" in row.body
        assert row.url.endswith("#effectiveness")
        assert _mailed_to() == [engineer.email]
        assert "accepted the 8D provisionally" in mail.outbox[0].subject

    def test_a_manager_may_accept_on_the_customers_behalf(self, evaluation, manager):
        provisional.claim_accept_provisionally(
            claim=evaluation, actor=manager, due_on=_in_days(evaluation, 10)
        )
        assert Claim.objects.get(pk=evaluation.pk).status == Claim.Status.PROVISIONALLY_CLOSED

    @pytest.mark.parametrize("days", [None, -1, 0, provisional.MAX_DAYS_AHEAD + 1])
    def test_the_date_must_lie_after_today_and_within_a_year(self, evaluation, user_a, days):
        due = None if days is None else _in_days(evaluation, days)
        with pytest.raises(DomainError) as refused:
            provisional.claim_accept_provisionally(claim=evaluation, actor=user_a, due_on=due)
        assert refused.value.field == "due_on"
        claim = Claim.objects.get(pk=evaluation.pk)
        assert claim.status == Claim.Status.CUSTOMER_EVALUATION
        assert claim.effectiveness_due_on is None
        assert _step(claim, "D8").status == EightDStep.Status.SUBMITTED

    def test_a_year_ahead_is_still_allowed(self, evaluation, user_a):
        due = _in_days(evaluation, provisional.MAX_DAYS_AHEAD)
        provisional.claim_accept_provisionally(claim=evaluation, actor=user_a, due_on=due)
        assert Claim.objects.get(pk=evaluation.pk).effectiveness_due_on == due

    def test_d8_must_have_been_submitted(self, evaluation, user_a, engineer):
        EightDStep.objects.filter(claim=evaluation, code="D8").update(status="draft")
        with pytest.raises(Conflict):
            provisional.claim_accept_provisionally(
                claim=evaluation, actor=user_a, due_on=_in_days(evaluation, 10)
            )

    def test_our_engineer_and_another_customer_may_not_accept(self, evaluation, engineer, user_b):
        for actor in (engineer, user_b):
            with pytest.raises(PermissionDenied):
                provisional.claim_accept_provisionally(
                    claim=evaluation, actor=actor, due_on=_in_days(evaluation, 10)
                )
        assert Claim.objects.get(pk=evaluation.pk).status == Claim.Status.CUSTOMER_EVALUATION


# --- the evidence, the confirmation, the refusal ------------------------------------------------


class TestEvidence:
    def test_staff_send_it_and_the_customer_is_told(
        self, accepted, engineer, user_a, django_capture_on_commit_callbacks
    ):
        _run(
            django_capture_on_commit_callbacks,
            provisional.claim_send_effectiveness_evidence,
            claim=accepted,
            actor=engineer,
            evidence="  3 lots without burr ",
        )

        claim = Claim.objects.get(pk=accepted.pk)
        assert claim.effectiveness_evidence == "3 lots without burr"
        assert claim.effectiveness_evidence_at is not None
        assert claim.status == Claim.Status.PROVISIONALLY_CLOSED
        event = ClaimEvent.objects.get(claim=claim, action="effectiveness_evidence")
        assert event.comment == "3 lots without burr" and event.actor == engineer
        assert _told(kinds.EFFECTIVENESS_EVIDENCE) == {user_a.email}
        assert (
            "3 lots without burr"
            in Notification.objects.get(kind=kinds.EFFECTIVENESS_EVIDENCE).body
        )
        assert _mailed_to() == [user_a.email]

    def test_only_our_staff_send_it(self, accepted, user_a, manager):
        with pytest.raises(PermissionDenied):
            _send_evidence(accepted, user_a)
        assert Claim.objects.get(pk=accepted.pk).effectiveness_evidence_at is None
        _send_evidence(accepted, manager)  # a manager works claims too

    @pytest.mark.parametrize("text", ["", "   ", "x" * (limits.LONG_TEXT + 1)])
    def test_the_evidence_is_required_and_bounded(self, accepted, engineer, text):
        with pytest.raises(DomainError) as refused:
            _send_evidence(accepted, engineer, text)
        assert refused.value.field == "evidence"

    def test_only_while_closed_provisionally(self, evaluation, engineer):
        with pytest.raises(Conflict):
            _send_evidence(evaluation, engineer)

    def test_a_claim_following_another_8d_is_proven_on_that_one(
        self, accepted, engineer, user_a, client_for
    ):
        master = file_claim(actor=user_a)
        Claim.objects.filter(pk=accepted.pk).update(master=master)
        with pytest.raises(Conflict) as refused:
            _send_evidence(accepted, engineer)
        assert master.number in refused.value.message
        page = client_for(engineer).get(_detail(accepted)).content.decode()
        assert 'id="effectiveness"' in page and 'name="evidence"' not in page

    def test_sent_again_it_replaces_the_text_and_the_timeline_keeps_both(self, accepted, engineer):
        _send_evidence(accepted, engineer, "First lot OK")
        _send_evidence(accepted, engineer, "Three lots OK")
        assert Claim.objects.get(pk=accepted.pk).effectiveness_evidence == "Three lots OK"
        comments = ClaimEvent.objects.filter(claim=accepted, action="effectiveness_evidence")
        assert sorted(comments.values_list("comment", flat=True)) == [
            "First lot OK",
            "Three lots OK",
        ]


class TestDecision:
    def test_confirming_closes_the_claim(
        self, accepted, engineer, user_a, django_capture_on_commit_callbacks
    ):
        _send_evidence(accepted, engineer)
        _run(
            django_capture_on_commit_callbacks,
            provisional.claim_confirm_effectiveness,
            claim=accepted,
            actor=user_a,
            comment="Effective, thanks",
        )

        claim = Claim.objects.get(pk=accepted.pk)
        assert claim.status == Claim.Status.CLOSED and claim.closed_at is not None
        event = ClaimEvent.objects.get(claim=claim, action="customer_confirm_effectiveness")
        assert (event.from_status, event.to_status) == ("provisionally_closed", "closed")
        assert event.comment == "Effective, thanks"
        # Told like any closure: our engineer of the decision (the customer who decided is not).
        assert _told(kinds.EIGHT_D_DECIDED) == {engineer.email}
        assert claim.effectiveness_evidence  # the record of what was proven stays

    def test_not_proven_sends_d5_to_d8_back_and_starts_afresh(
        self, accepted, engineer, user_a, django_capture_on_commit_callbacks
    ):
        _send_evidence(accepted, engineer, "One lot only")
        with pytest.raises(DomainError):
            provisional.claim_reject_effectiveness(claim=accepted, actor=user_a, reason=" ")

        _run(
            django_capture_on_commit_callbacks,
            provisional.claim_reject_effectiveness,
            claim=accepted,
            actor=user_a,
            reason="Burr found again in lot 2612",
        )

        claim = Claim.objects.get(pk=accepted.pk)
        assert claim.status == Claim.Status.CORRECTIVE_ACTION and claim.closed_at is None
        assert claim.provisionally_accepted_at is None and claim.effectiveness_due_on is None
        assert claim.effectiveness_evidence == "" and claim.effectiveness_evidence_at is None
        steps = dict(claim.steps.values_list("code", "status"))
        assert {steps[code] for code in ("D5", "D6", "D7", "D8")} == {"sent_back"}
        assert steps["D4"] == "approved"
        assert _step(claim, "D6").decision_comment == "Burr found again in lot 2612"
        # The evidence stays in the timeline and the history.
        assert ClaimEvent.objects.filter(claim=claim, comment="One lot only").exists()
        assert claim.history.filter(effectiveness_evidence="One lot only").exists()
        row = Notification.objects.get(kind=kinds.EIGHT_D_DECIDED)
        assert row.recipient == engineer and "lot 2612" in row.body
        assert "effectiveness proven" in row.title

    def test_only_the_customer_side_decides(self, accepted, engineer, user_b):
        for actor in (engineer, user_b):
            with pytest.raises(PermissionDenied):
                provisional.claim_confirm_effectiveness(claim=accepted, actor=actor)
            with pytest.raises(PermissionDenied):
                provisional.claim_reject_effectiveness(claim=accepted, actor=actor, reason="No")
        assert Claim.objects.get(pk=accepted.pk).status == Claim.Status.PROVISIONALLY_CLOSED

    def test_a_claim_not_closed_provisionally_cannot_be_confirmed(self, evaluation, user_a):
        with pytest.raises(Conflict):
            provisional.claim_confirm_effectiveness(claim=evaluation, actor=user_a)

    def test_reopening_the_closed_claim_clears_the_old_acceptance(
        self, accepted, engineer, user_a, client_for
    ):
        _send_evidence(accepted, engineer, "One lot only")
        provisional.claim_confirm_effectiveness(claim=accepted, actor=user_a)
        services.claim_reopen(claim=accepted, actor=engineer, reason="Repeat in lot 2701")

        claim = Claim.objects.get(pk=accepted.pk)
        assert claim.status == Claim.Status.ROOT_CAUSE
        assert claim.provisionally_accepted_at is None and claim.effectiveness_due_on is None
        assert claim.effectiveness_evidence == "" and claim.effectiveness_evidence_at is None
        assert claim.history.filter(effectiveness_evidence="One lot only").exists()
        page = client_for(user_a).get(_detail(claim)).content.decode()
        assert 'id="effectiveness"' not in page


# --- the reminder before the date ----------------------------------------------------------------


def _due_in(claim, days: int, **fields) -> None:
    """The evidence due ``days`` after the day the reminder task counts from (the server's)."""
    due = timezone.localdate() + dt.timedelta(days=days)
    Claim.objects.filter(pk=claim.pk).update(effectiveness_due_on=due, **fields)


def _remind(capture, today=None):
    with capture(execute=True):
        return provisional.provisional_reminders_send(today=today)


class TestReminder:
    def test_sent_once_before_the_date_however_often_the_task_runs(
        self, accepted, engineer, manager, django_capture_on_commit_callbacks
    ):
        _due_in(accepted, 5)
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            first = send_deadline_reminders.delay().get()
        with django_capture_on_commit_callbacks(execute=True):
            second = send_deadline_reminders.delay().get()

        assert (first["effectiveness_reminders"], first["effectiveness_notifications"]) == (1, 1)
        assert (second["effectiveness_reminders"], second["effectiveness_notifications"]) == (0, 0)
        assert "due_soon_steps" in first  # the deadline reminders still run alongside
        assert ProvisionalReminder.objects.get().due_on == timezone.localdate() + dt.timedelta(5)
        assert _mailed_to() == [engineer.email]
        assert (
            accepted.number in mail.outbox[0].subject and "effectiveness" in mail.outbox[0].subject
        )
        assert _told(kinds.EFFECTIVENESS_DUE) == {engineer.email}

    def test_nothing_for_sent_evidence_a_date_far_away_or_past(
        self, accepted, engineer, django_capture_on_commit_callbacks
    ):
        _due_in(accepted, 30)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 0
        _due_in(accepted, -1)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 0
        _due_in(accepted, 3)
        _send_evidence(accepted, engineer)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 0
        assert not ProvisionalReminder.objects.exists()
        assert not _told(kinds.EFFECTIVENESS_DUE)

    def test_a_claim_that_follows_another_8d_is_reminded_with_its_master(
        self, accepted, engineer, django_capture_on_commit_callbacks
    ):
        follower = file_claim(actor=engineer, part=accepted.part)
        _due_in(follower, 3, status=Claim.Status.PROVISIONALLY_CLOSED, master_id=accepted.pk)
        _due_in(accepted, 3)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 1
        assert list(ProvisionalReminder.objects.values_list("claim", flat=True)) == [accepted.pk]

    def test_a_moved_date_gets_its_own_reminder(
        self, accepted, engineer, django_capture_on_commit_callbacks
    ):
        _due_in(accepted, 2)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 1
        _due_in(accepted, 6)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 1
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 0
        dates = sorted(ProvisionalReminder.objects.values_list("due_on", flat=True))
        today = timezone.localdate()
        assert dates == [today + dt.timedelta(days=2), today + dt.timedelta(days=6)]
        assert Notification.objects.filter(kind=kinds.EFFECTIVENESS_DUE).count() == 2

    @override_settings(CQM_PROVISIONAL_REMINDER_DAYS=2)
    def test_the_window_is_a_setting(self, accepted, django_capture_on_commit_callbacks):
        _due_in(accepted, 3)
        assert _remind(django_capture_on_commit_callbacks)["effectiveness_reminders"] == 0
        later = timezone.localdate() + dt.timedelta(days=1)
        assert (
            _remind(django_capture_on_commit_callbacks, today=later)["effectiveness_reminders"] == 1
        )

    def test_without_an_engineer_the_responsible_engineers_are_told(
        self, accepted, customer_a, manager, django_capture_on_commit_callbacks
    ):
        from accounts.tests.factories import UserFactory

        responsible = UserFactory(email="responsible@example.com")
        customer_a.responsible_engineers.set([responsible])
        _due_in(accepted, 1, assigned_engineer=None)
        _remind(django_capture_on_commit_callbacks)
        assert _told(kinds.EFFECTIVENESS_DUE) == {responsible.email}


# --- figures and whose turn ----------------------------------------------------------------------


class TestFigures:
    def test_counts_as_closed_provisionally_not_open_and_not_closed(
        self, accepted, customer_a, user_a
    ):
        assert claim_kpis.provisionally_closed() == 1
        assert claim_kpis.provisionally_closed(customer_id=customer_a.pk) == 1
        assert sum(claim_kpis.open_by_age().values()) == 0
        assert selectors.count_open(user_a) == 0
        assert not Claim.objects.open_filed().exists()
        month = timezone.localdate()
        figures = kpis_for(month, customer=customer_a)
        assert (figures.provisionally_closed, figures.open_claims) == (1, 0)
        start = timezone.make_aware(dt.datetime.combine(month.replace(day=1), dt.time.min))
        end = start + dt.timedelta(days=62)
        closed = claim_kpis.opened_and_closed_by_month(start, end, customer_id=customer_a.pk)
        assert sum(counts[1] for counts in closed.values()) == 0

    def test_the_d8_counts_as_answered_for_the_8d_on_time_rate(self, accepted, customer_a):
        d8 = _step(accepted, "D8")
        start, end = d8.due_at - dt.timedelta(days=1), d8.due_at + dt.timedelta(days=1)
        on_time = claim_kpis.eight_d_on_time(start, end, customer_id=customer_a.pk)
        assert (on_time.on_time, on_time.late, on_time.open_overdue) == (1, 0, 0)

    def test_once_confirmed_it_counts_as_closed(self, accepted, user_a):
        provisional.claim_confirm_effectiveness(claim=accepted, actor=user_a)
        assert claim_kpis.provisionally_closed() == 0
        assert sum(claim_kpis.open_by_age().values()) == 0

    def test_the_dashboard_scorecard_and_api_show_the_figure(
        self, accepted, client_for, api_client_for, engineer, user_a, customer_a
    ):
        month = timezone.localdate().strftime("%Y-%m")
        page = client_for(engineer).get(reverse("metrics:dashboard"), {"month": month})
        html = page.content.decode()
        tile = html.split('data-tile="provisionally_closed"', 1)[1]
        assert tile.split("data-value>", 1)[1].startswith("1<")
        answer = api_client_for(user_a).get("/api/v1/metrics/kpis/", {"month": month}).json()
        assert (answer["provisionally_closed"], answer["open_claims"]) == (1, 0)

    def test_the_open_list_filter_leaves_it_out_and_the_status_filter_finds_it(
        self, accepted, client_for, user_a
    ):
        client = client_for(user_a)
        url = reverse("claims:claim-list")
        assert accepted.number not in client.get(url, {"open": "on"}).content.decode()
        found = client.get(url, {"status": "provisionally_closed"}).content.decode()
        assert accepted.number in found and "Closed provisionally" in found


class TestWhoseTurn:
    def test_ours_until_the_evidence_is_sent_then_the_customers(self, accepted, engineer):
        due = accepted.effectiveness_due_on
        ours = waiting_for(accepted)
        assert (ours.party, ours.who, ours.due) == (Party.US, str(engineer), due)
        assert ours.action.startswith("prove the effectiveness by ")
        assert str(due.year) in ours.action
        assert list(waiting_filter(Claim.objects.all(), Party.US)) == [accepted]

        _send_evidence(accepted, engineer)

        theirs = waiting_for(accepted)
        assert (theirs.party, theirs.action) == (Party.CUSTOMER, "confirm the effectiveness")
        assert theirs.since == accepted.effectiveness_evidence_at
        assert list(waiting_filter(Claim.objects.all(), Party.CUSTOMER)) == [accepted]
        assert not waiting_filter(Claim.objects.all(), Party.US).exists()


# --- the claim page ------------------------------------------------------------------------------


def _detail(claim) -> str:
    return reverse("claims:claim-detail", args=[claim.pk])


def _do(claim, action) -> str:
    return reverse("claims:claim-transition", args=[claim.pk, action])


class TestPage:
    def test_the_customer_accepts_provisionally_with_a_date(self, evaluation, client_for, user_a):
        client = client_for(user_a)
        page = client.get(_detail(evaluation)).content.decode()
        assert "Accept the 8D" in page and "Accept provisionally" in page
        assert 'type="date" name="due_on"' in page and 'id="provisional-due_on"' in page

        due = _in_days(evaluation, 14)
        response = client.post(
            _do(evaluation, "customer_accept_provisionally"),
            {"due_on": due.isoformat(), "comment": "Show 3 lots", "version": evaluation.version},
        )

        assert response.status_code == 302
        claim = Claim.objects.get(pk=evaluation.pk)
        assert claim.status == Claim.Status.PROVISIONALLY_CLOSED
        assert claim.effectiveness_due_on == due
        page = client.get(_detail(claim)).content.decode()
        assert 'id="effectiveness"' in page and "Accepted provisionally on" in page
        assert "No evidence has been sent yet." in page
        assert "Confirm effectiveness" in page and "Effectiveness not proven" in page
        assert 'name="evidence"' not in page  # our form, not the customer's

    def test_a_wrong_date_is_refused_with_a_message(self, evaluation, client_for, user_a):
        client = client_for(user_a)
        response = client.post(
            _do(evaluation, "customer_accept_provisionally"),
            {"due_on": "not a date", "version": evaluation.version},
            follow=True,
        )
        assert "Enter the date by which the effectiveness evidence is due." in (
            response.content.decode()
        )
        assert Claim.objects.get(pk=evaluation.pk).status == Claim.Status.CUSTOMER_EVALUATION

    def test_staff_send_the_evidence_and_the_customer_confirms(
        self, accepted, client_for, engineer, user_a
    ):
        client = client_for(engineer)
        page = client.get(_detail(accepted)).content.decode()
        assert "Send effectiveness evidence" in page and "Attachments" in page
        assert "Confirm effectiveness" not in page
        client.post(
            _do(accepted, "send_effectiveness_evidence"),
            {"evidence": "Cpk 1.8 over 3 lots", "version": accepted.version},
        )
        claim = Claim.objects.get(pk=accepted.pk)
        assert claim.effectiveness_evidence == "Cpk 1.8 over 3 lots"

        client = client_for(user_a)
        page = client.get(_detail(claim)).content.decode()
        assert "Cpk 1.8 over 3 lots" in page and "Evidence sent on" in page
        client.post(
            _do(claim, "customer_confirm_effectiveness"),
            {"comment": "Fine", "version": claim.version},
        )
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CLOSED
        page = client.get(_detail(claim)).content.decode()
        assert "effectiveness confirmed on" in page and "Cpk 1.8 over 3 lots" in page

    def test_the_customer_says_why_the_effectiveness_is_not_proven(
        self, accepted, client_for, user_a
    ):
        client = client_for(user_a)
        client.post(
            _do(accepted, "customer_reject_effectiveness"),
            {"reason": "Burr again", "version": accepted.version},
        )
        assert Claim.objects.get(pk=accepted.pk).status == Claim.Status.CORRECTIVE_ACTION

    def test_another_customer_gets_404(self, accepted, client_for, user_b):
        client = client_for(user_b)
        assert client.get(_detail(accepted)).status_code == 404
        for action in provisional.CLAIM_SERVICES:
            data = {"evidence": "x", "reason": "x", "due_on": _in_days(accepted, 9).isoformat()}
            assert client.post(_do(accepted, action), data).status_code == 404
        assert Claim.objects.get(pk=accepted.pk).status == Claim.Status.PROVISIONALLY_CLOSED


# --- the API -------------------------------------------------------------------------------------


class TestApi:
    def test_round_trip(self, evaluation, api_client_for, user_a, engineer):
        customer, staff = api_client_for(user_a), api_client_for(engineer)
        url = f"/api/v1/claims/{evaluation.pk}/"

        wrong = customer.post(url + "customer-accept-provisionally/", {"due_on": "2000-01-01"})
        assert wrong.status_code == 400 and "due_on" in wrong.json()
        assert customer.post(url + "customer-accept-provisionally/", {}).status_code == 400

        due = _in_days(evaluation, 21).isoformat()
        accepted = customer.post(
            url + "customer-accept-provisionally/", {"due_on": due, "comment": "3 lots"}
        )
        assert accepted.status_code == 200, accepted.content
        body = accepted.json()
        assert body["status"] == "provisionally_closed" and body["effectiveness_due_on"] == due
        assert body["provisionally_accepted_at"] and body["closed_at"] is None
        assert body["waiting_for"]["party"] == "us"

        assert customer.post(url + "effectiveness-evidence/", {"evidence": "x"}).status_code == 403
        sent = staff.post(
            url + "effectiveness-evidence/",
            {"evidence": "Cpk 1.8", "version": body["version"]},
        )
        assert sent.status_code == 200, sent.content
        read = customer.get(url).json()
        assert read["effectiveness_evidence"] == "Cpk 1.8" and read["effectiveness_evidence_at"]
        assert read["waiting_for"]["party"] == "customer"

        assert customer.post(url + "customer-reject-effectiveness/", {}).status_code == 400
        confirmed = customer.post(url + "customer-confirm-effectiveness/", {"comment": "OK"})
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["status"] == "closed" and confirmed.json()["closed_at"]
        again = customer.post(url + "customer-confirm-effectiveness/", {})
        assert again.status_code == 409
        events = [e["action"] for e in customer.get(url + "events/").json()]
        assert {
            "customer_accept_provisionally",
            "effectiveness_evidence",
            "customer_confirm_effectiveness",
        } <= set(events)

    def test_not_proven_over_the_api(self, accepted, api_client_for, user_a):
        url = f"/api/v1/claims/{accepted.pk}/customer-reject-effectiveness/"
        answer = api_client_for(user_a).post(url, {"reason": "Burr again"})
        assert answer.status_code == 200 and answer.json()["status"] == "corrective_action"
        assert answer.json()["effectiveness_due_on"] is None

    @pytest.mark.parametrize(
        "segment",
        [
            "customer-accept-provisionally",
            "effectiveness-evidence",
            "customer-confirm-effectiveness",
            "customer-reject-effectiveness",
        ],
    )
    def test_another_customer_gets_404(self, accepted, api_client_for, user_b, segment):
        body = {"due_on": _in_days(accepted, 9).isoformat(), "evidence": "x", "reason": "x"}
        answer = api_client_for(user_b).post(f"/api/v1/claims/{accepted.pk}/{segment}/", body)
        assert answer.status_code == 404
        assert Claim.objects.get(pk=accepted.pk).status == Claim.Status.PROVISIONALLY_CLOSED
