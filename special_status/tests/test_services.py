"""Opening a special status, its exit criteria, the exit rules, the signature and the costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from claims.tests.factories import png_upload
from core.errors import Conflict, DomainError, PermissionDenied
from core.locking import StaleVersion
from core.models import Signature
from core.services import attachments_add
from customers.tests.factories import PartFactory, PlantFactory
from special_status import services
from special_status.models import ExitCriterion, SpecialStatus, SpecialStatusEvent

from .factories import CRITERIA, exit_requested, meet_all, open_status

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _events(special_status) -> list[str]:
    rows = SpecialStatusEvent.objects.filter(special_status=special_status).order_by("pk")
    return list(rows.values_list("action", flat=True))


def _attach_letter(special_status, actor):
    policy = special_status.customer.requirements.attachment_policy
    return attachments_add(
        owner=special_status, uploads=[png_upload("letter.png")], actor=actor, policy=policy
    )[0]


# --- opening -------------------------------------------------------------------------------------


def test_opening_numbers_it_and_records_criteria_parts_plants_and_history(engineer, customer_a):
    part, plant = PartFactory(customer=customer_a), PlantFactory(code="BRNO")
    special_status = open_status(actor=engineer, parts=[part], plants=[plant])
    assert special_status.number.startswith(f"SS-{timezone.now().year}-")
    assert special_status.status == "open" and special_status.owner == engineer
    assert special_status.opened_by == engineer
    assert list(special_status.parts.all()) == [part]
    assert list(special_status.plants.all()) == [plant]
    criteria = list(special_status.criteria.order_by("position"))
    assert [(c.position, c.text, c.met) for c in criteria] == [
        (n, text, False) for n, text in enumerate(CRITERIA, start=1)
    ]
    assert all(c.customer_id == customer_a.pk for c in criteria)
    assert _events(special_status) == ["open"]
    assert special_status.history.count() >= 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "cs3"}, "kind"),
        ({"reason": "   "}, "reason"),
        ({"started_on": TODAY + dt.timedelta(days=3)}, "started_on"),
    ],
)
def test_opening_refuses_what_is_missing_or_wrong(engineer, customer_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        open_status(actor=engineer, customer=customer_a, **overrides)
    assert field in refused.value.message_dict
    assert not SpecialStatus.objects.exists()


def test_parts_must_be_the_customers_own(engineer, customer_a, customer_b):
    with pytest.raises(ValidationError) as refused:
        open_status(actor=engineer, customer=customer_a, parts=[PartFactory(customer=customer_b)])
    assert "parts" in refused.value.message_dict


def test_customers_and_outsiders_cannot_open_or_edit(engineer, user_a, customer_a):
    with pytest.raises(PermissionDenied):
        open_status(actor=user_a, customer=customer_a)
    special_status = open_status(actor=engineer, customer=customer_a)
    with pytest.raises(PermissionDenied):
        services.special_status_update(special_status=special_status, actor=user_a, reason="x")


def test_edit_while_open_with_the_version_read(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a)
    version = special_status.version
    services.special_status_update(
        special_status=special_status, actor=engineer, kind="cs2", expected_version=version
    )
    with pytest.raises(StaleVersion):
        services.special_status_update(
            special_status=special_status, actor=engineer, reason="Old", expected_version=version
        )
    assert SpecialStatus.objects.get().kind == "cs2"


# --- exit criteria -------------------------------------------------------------------------------


def test_a_criterion_is_met_with_its_date_and_evidence(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a)
    criterion = special_status.criteria.get(position=1)
    with pytest.raises(DomainError) as no_evidence:
        services.criterion_meet(criterion=criterion, actor=engineer, met_on=TODAY, evidence=" ")
    assert no_evidence.value.field == "evidence"
    with pytest.raises(DomainError) as future:
        services.criterion_meet(
            criterion=criterion, actor=engineer, met_on=TODAY + dt.timedelta(2), evidence="Ok"
        )
    assert future.value.field == "met_on"
    with pytest.raises(DomainError) as before_start:
        services.criterion_meet(
            criterion=criterion,
            actor=engineer,
            met_on=special_status.started_on - dt.timedelta(days=1),
            evidence="Ok",
        )
    assert before_start.value.field == "met_on"
    services.criterion_meet(criterion=criterion, actor=engineer, met_on=TODAY, evidence="0 ppm")
    criterion.refresh_from_db()
    assert (criterion.met, criterion.met_on, criterion.evidence) == (True, TODAY, "0 ppm")
    assert criterion.met_by == engineer
    with pytest.raises(Conflict):
        services.criterion_meet(criterion=criterion, actor=engineer, met_on=TODAY, evidence="x")
    assert _events(special_status) == ["open", "criterion_met"]


def test_a_met_criterion_is_opened_again_with_a_reason_and_cannot_be_reworded(engineer, customer_a):
    special_status = meet_all(open_status(actor=engineer, customer=customer_a), actor=engineer)
    criterion = special_status.criteria.get(position=2)
    with pytest.raises(Conflict):
        services.criterion_update(criterion=criterion, actor=engineer, text="Other")
    with pytest.raises(DomainError):
        services.criterion_reopen(criterion=criterion, actor=engineer, reason="")
    services.criterion_reopen(criterion=criterion, actor=engineer, reason="Reject on day 12")
    criterion.refresh_from_db()
    assert (criterion.met, criterion.met_on, criterion.met_by) == (False, None, None)
    services.criterion_update(criterion=criterion, actor=engineer, text="0 rejects for 60 days")
    assert ExitCriterion.objects.get(pk=criterion.pk).text == "0 rejects for 60 days"
    assert _events(special_status)[-1] == "criterion_reopen"


def test_criteria_are_added_at_the_end_while_open(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a, criteria=["First"])
    added = services.criterion_add(special_status=special_status, actor=engineer, text="Second")
    assert added.position == 2
    with pytest.raises(DomainError):
        services.criterion_add(special_status=special_status, actor=engineer, text="  ")


# --- the exit ------------------------------------------------------------------------------------


def test_the_exit_is_requested_only_when_every_criterion_is_met(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a)
    services.criterion_meet(
        criterion=special_status.criteria.get(position=1),
        actor=engineer,
        met_on=TODAY,
        evidence="Records",
    )
    with pytest.raises(DomainError) as refused:
        services.special_status_request_exit(special_status=special_status, actor=engineer)
    assert "2, 3" in refused.value.message
    assert SpecialStatus.objects.get().status == "open"
    meet_all(special_status, actor=engineer)
    services.special_status_request_exit(special_status=special_status, actor=engineer)
    special_status.refresh_from_db()
    assert special_status.status == "exit_requested"
    assert special_status.exit_requested_by == engineer


def test_no_exit_without_criteria(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a, criteria=[])
    with pytest.raises(DomainError):
        services.special_status_request_exit(special_status=special_status, actor=engineer)


def test_criteria_are_frozen_while_the_customer_decides(engineer, customer_a):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    with pytest.raises(Conflict):
        services.criterion_add(special_status=special_status, actor=engineer, text="More")
    with pytest.raises(Conflict):
        services.criterion_reopen(
            criterion=special_status.criteria.first(), actor=engineer, reason="Changed my mind"
        )
    with pytest.raises(Conflict):
        services.special_status_update(special_status=special_status, actor=engineer, reason="x")


def test_the_customer_signs_the_exit_with_their_password(engineer, customer_a, user_a):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError) as wrong:
        services.special_status_sign_exit(
            special_status=special_status, actor=user_a, password="wrong"
        )
    assert wrong.value.field == "password"
    assert SpecialStatus.objects.get().status == "exit_requested"
    assert not Signature.objects.exists()
    services.special_status_sign_exit(
        special_status=special_status,
        actor=user_a,
        password=DEFAULT_PASSWORD,
        closing_note="Thank you, back to normal shipping",
    )
    special_status.refresh_from_db()
    assert special_status.status == "closed" and special_status.decided_by == user_a
    assert special_status.closing_note == "Thank you, back to normal shipping"
    signature = Signature.objects.for_owner(special_status).get()
    assert signature.signer == user_a and signature.signer_organisation == customer_a.name
    assert special_status.number in signature.meaning
    assert _events(special_status)[-1] == "sign_exit"


def test_another_customer_and_our_engineers_cannot_sign(engineer, customer_a, user_b):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    for actor in (user_b, engineer):
        with pytest.raises(PermissionDenied):
            services.special_status_sign_exit(
                special_status=special_status, actor=actor, password=DEFAULT_PASSWORD
            )


def test_a_manager_records_the_exit_only_with_the_customers_written_confirmation(
    engineer, manager, customer_a, customer_b
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError) as missing:
        services.special_status_sign_exit(
            special_status=special_status, actor=manager, password=DEFAULT_PASSWORD
        )
    assert missing.value.field == "confirmation"
    other = open_status(actor=engineer, customer=customer_b)
    foreign_letter = _attach_letter(other, engineer)
    with pytest.raises(DomainError):
        services.special_status_sign_exit(
            special_status=special_status,
            actor=manager,
            password=DEFAULT_PASSWORD,
            confirmation=foreign_letter,
        )
    letter = _attach_letter(special_status, engineer)
    services.special_status_sign_exit(
        special_status=special_status,
        actor=manager,
        password=DEFAULT_PASSWORD,
        confirmation=letter,
    )
    special_status.refresh_from_db()
    assert special_status.status == "closed" and special_status.exit_confirmation == letter
    signature = Signature.objects.for_owner(special_status).get()
    assert signature.signer == manager
    assert letter.original_name in signature.meaning and letter.short_sha256 in signature.meaning


def test_the_customer_declines_the_exit_with_a_reason_and_it_is_open_again(
    engineer, customer_a, user_a
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError):
        services.special_status_decline_exit(
            special_status=special_status, actor=user_a, reason=" "
        )
    services.special_status_decline_exit(
        special_status=special_status, actor=user_a, reason="One more reject last week"
    )
    special_status.refresh_from_db()
    assert special_status.status == "open"
    assert special_status.decision_comment == "One more reject last week"
    event = SpecialStatusEvent.objects.filter(special_status=special_status).first()
    assert (event.action, event.from_status, event.to_status) == (
        "decline_exit",
        "exit_requested",
        "open",
    )
    # Open again: the engineer reopens the criterion the reject broke, and asks again later.
    criterion = special_status.criteria.get(position=1)
    services.criterion_reopen(criterion=criterion, actor=engineer, reason="Reject on 3 May")


def test_a_closed_status_is_read_only(engineer, customer_a, user_a):
    special_status = exit_requested(actor=engineer, customer=customer_a, kind="cs2")
    services.special_status_sign_exit(
        special_status=special_status, actor=user_a, password=DEFAULT_PASSWORD
    )
    with pytest.raises(Conflict):
        services.special_status_costs_save(
            special_status=special_status, actor=engineer, inspection_hours=1, hourly_rate=1
        )
    with pytest.raises(Conflict):
        services.special_status_update(special_status=special_status, actor=engineer, reason="x")


# --- costs ---------------------------------------------------------------------------------------


def test_cs2_inspection_costs_are_hours_times_rate(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a, kind="cs2")
    services.special_status_costs_save(
        special_status=special_status,
        actor=engineer,
        inspection_hours=Decimal("42.5"),
        hourly_rate=Decimal("68.40"),
        currency="eur",
    )
    special_status.refresh_from_db()
    assert special_status.inspection_cost == Decimal("2907.0000")
    assert special_status.currency == "EUR"
    assert _events(special_status)[-1] == "costs"


@pytest.mark.parametrize(
    ("hours", "rate", "currency", "field"),
    [
        ("-1", "10", "EUR", "inspection_hours"),
        ("1", "abc", "EUR", "hourly_rate"),
        ("1", "10", "EURO", "currency"),
        ("1e12", "10", "EUR", "inspection_hours"),
    ],
)
def test_costs_refuse_wrong_numbers(engineer, customer_a, hours, rate, currency, field):
    special_status = open_status(actor=engineer, customer=customer_a, kind="cs2")
    with pytest.raises(DomainError) as refused:
        services.special_status_costs_save(
            special_status=special_status,
            actor=engineer,
            inspection_hours=hours,
            hourly_rate=rate,
            currency=currency,
        )
    assert refused.value.field == field


def test_costs_belong_to_cs2_only(engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a, kind="cs1")
    with pytest.raises(DomainError):
        services.special_status_costs_save(
            special_status=special_status, actor=engineer, inspection_hours=1, hourly_rate=1
        )
