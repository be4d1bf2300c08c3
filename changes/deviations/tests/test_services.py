"""The deviation rules: limits, the signed decision, shipments under the cap and the expiry."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.deviations import services, tasks
from changes.models import Deviation, DeviationEvent, DeviationShipment
from claims.tests.factories import file_claim
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Signature
from customers.tests.factories import PartFactory

from .factories import approved_deviation, deviation_fields, draft_deviation, requested_deviation

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _ship(deviation, actor, quantity, **overrides):
    fields = {"shipped_on": TODAY, "lot": "L-100", "shipping_reference": "DN-1"}
    fields.update(overrides)
    return services.shipment_record(deviation=deviation, actor=actor, quantity=quantity, **fields)


def _snapshot(deviation):
    deviation = Deviation.objects.get(pk=deviation.pk)
    return (
        deviation.status,
        deviation.quantity_shipped,
        deviation.version,
        DeviationShipment.objects.filter(deviation=deviation).count(),
        DeviationEvent.objects.filter(deviation=deviation).count(),
    )


# --- creating ------------------------------------------------------------------------------------


def test_create_numbers_and_records_an_event(engineer, customer_a):
    deviation = draft_deviation(actor=engineer, customer=customer_a)
    assert deviation.number == f"DEV-{TODAY.year}-00001"
    assert deviation.status == "draft" and deviation.owner == engineer
    assert deviation.events.get().action == "create"
    assert deviation.history.exists()


def test_create_needs_a_cap_or_an_expiry_and_leaves_nothing(engineer, customer_a):
    part = PartFactory(customer=customer_a)
    with pytest.raises(ValidationError) as refused:
        services.deviation_create(
            actor=engineer,
            customer=customer_a,
            parts=[part],
            **deviation_fields(quantity_cap=None, expires_on=None),
        )
    assert "quantity_cap" in refused.value.message_dict
    assert not Deviation.objects.exists()


def test_create_refuses_another_customers_part_or_claim(engineer, customer_a, customer_b, user_b):
    foreign = PartFactory(customer=customer_b)
    with pytest.raises(ValidationError) as refused:
        services.deviation_create(
            actor=engineer, customer=customer_a, parts=[foreign], **deviation_fields()
        )
    assert "parts" in refused.value.message_dict
    claim = file_claim(actor=user_b)
    with pytest.raises(ValidationError) as refused:
        draft_deviation(actor=engineer, customer=customer_a, originating_claim=claim)
    assert "originating_claim" in refused.value.message_dict
    assert not Deviation.objects.exists()


def test_customer_users_cannot_create(user_a, customer_a):
    with pytest.raises(PermissionDenied):
        draft_deviation(actor=user_a, customer=customer_a)


# --- request and the customer's decision ---------------------------------------------------------


def test_request_mails_the_customer_after_commit(
    engineer, customer_a, user_a, django_capture_on_commit_callbacks
):
    deviation = draft_deviation(actor=engineer, customer=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.deviation_request(deviation=deviation, actor=engineer)
    deviation.refresh_from_db()
    assert deviation.status == "requested" and deviation.requested_at is not None
    assert [message.to for message in mail.outbox] == [[user_a.email]]
    assert deviation.number in mail.outbox[0].subject


def test_customer_approves_with_signature_and_may_narrow_limits(engineer, customer_a, user_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    earlier = deviation.expires_on - dt.timedelta(days=10)
    services.deviation_approve(
        deviation=deviation,
        actor=user_a,
        password=DEFAULT_PASSWORD,
        authorisation="AW-77",
        quantity_cap=300,
        expires_on=earlier,
    )
    deviation.refresh_from_db()
    assert deviation.status == "approved"
    assert (deviation.quantity_cap, deviation.expires_on) == (300, earlier)
    assert deviation.customer_authorisation == "AW-77" and deviation.decided_by == user_a
    signature = Signature.objects.for_owner(deviation).get()
    assert signature.signer == user_a and "Approved" in signature.meaning
    event = deviation.events.filter(action="approve").get()
    assert (event.from_status, event.to_status, event.actor) == ("requested", "approved", user_a)


@pytest.mark.parametrize(
    "inputs, field",
    [
        ({"password": "wrong"}, "password"),
        ({"quantity_cap": 501}, "quantity_cap"),
        ({"expires_on": TODAY + dt.timedelta(days=90)}, "expires_on"),
    ],
)
def test_refused_approval_changes_nothing(engineer, customer_a, user_a, inputs, field):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    before = _snapshot(deviation)
    with pytest.raises(DomainError) as refused:
        services.deviation_approve(
            deviation=deviation, actor=user_a, **{"password": DEFAULT_PASSWORD, **inputs}
        )
    assert refused.value.field == field and refused.value.message
    assert _snapshot(deviation) == before
    assert not Signature.objects.exists()


def test_other_customers_and_engineers_cannot_decide(engineer, customer_a, user_b):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    for actor in (user_b, engineer):
        with pytest.raises(PermissionDenied):
            services.deviation_approve(deviation=deviation, actor=actor, password=DEFAULT_PASSWORD)
    assert Deviation.objects.get(pk=deviation.pk).status == "requested"


def test_manager_records_an_outside_approval_only_with_its_number(engineer, manager, customer_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError) as refused:
        services.deviation_approve(deviation=deviation, actor=manager, password=DEFAULT_PASSWORD)
    assert refused.value.field == "authorisation"
    services.deviation_approve(
        deviation=deviation, actor=manager, password=DEFAULT_PASSWORD, authorisation="MAIL-1"
    )
    assert Deviation.objects.get(pk=deviation.pk).status == "approved"


def test_reject_needs_a_reason_and_is_signed(engineer, customer_a, user_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError):
        services.deviation_reject(
            deviation=deviation, actor=user_a, password=DEFAULT_PASSWORD, reason=" "
        )
    services.deviation_reject(
        deviation=deviation, actor=user_a, password=DEFAULT_PASSWORD, reason="Sort them"
    )
    deviation.refresh_from_db()
    assert deviation.status == "rejected" and deviation.decision_comment == "Sort them"
    assert Signature.objects.for_owner(deviation).count() == 1


def test_stale_version_is_refused(engineer, customer_a):
    deviation = draft_deviation(actor=engineer, customer=customer_a)
    with pytest.raises(Conflict):
        services.deviation_request(deviation=deviation, actor=engineer, expected_version=7)
    assert Deviation.objects.get(pk=deviation.pk).status == "draft"


def test_only_drafts_are_edited(engineer, customer_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    with pytest.raises(Conflict):
        services.deviation_update(deviation=deviation, actor=engineer, title="Changed")
    assert Deviation.objects.get(pk=deviation.pk).title != "Changed"


# --- shipments -----------------------------------------------------------------------------------


def test_shipments_count_up_and_reaching_the_cap_exhausts(engineer, customer_a, user_a):
    deviation = approved_deviation(
        actor=engineer, approver=user_a, customer=customer_a, quantity_cap=100
    )
    _ship(deviation, engineer, 60)
    _ship(deviation, engineer, 40, shipping_reference="DN-2")
    deviation.refresh_from_db()
    assert deviation.quantity_shipped == 100 and deviation.status == "exhausted"
    assert deviation.events.filter(action="exhaust", to_status="exhausted").exists()
    before = _snapshot(deviation)
    with pytest.raises(Conflict, match="approved"):
        _ship(deviation, engineer, 1)
    assert _snapshot(deviation) == before


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quantity": 101}, "quantity"),
        ({"lot": "L-999"}, "lot"),
        ({"shipped_on": TODAY + dt.timedelta(days=1)}, "shipped_on"),
        ({"shipping_reference": ""}, "shipping_reference"),
    ],
)
def test_refused_shipment_changes_nothing_and_says_why(
    engineer, customer_a, user_a, overrides, field
):
    deviation = approved_deviation(
        actor=engineer, approver=user_a, customer=customer_a, quantity_cap=100
    )
    before = _snapshot(deviation)
    with pytest.raises(DomainError) as refused:
        _ship(deviation, engineer, **{"quantity": 10, **overrides})
    assert refused.value.field == field and refused.value.message
    assert _snapshot(deviation) == before


def test_shipment_dated_after_expiry_is_refused(engineer, customer_a, user_a):
    deviation = approved_deviation(
        actor=engineer, approver=user_a, customer=customer_a, expires_on=TODAY
    )
    before = _snapshot(deviation)
    with pytest.raises(DomainError, match="valid until") as refused:
        _ship(deviation, engineer, 1, shipped_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "shipped_on"
    assert _snapshot(deviation) == before


def test_past_expiry_is_expired_on_use_and_the_shipment_refused(engineer, customer_a, user_a):
    deviation = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    Deviation.objects.filter(pk=deviation.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(Conflict, match="expired"):
        _ship(deviation, engineer, 5, shipped_on=TODAY - dt.timedelta(days=1))
    deviation.refresh_from_db()
    assert deviation.status == "expired" and deviation.quantity_shipped == 0
    assert not DeviationShipment.objects.exists()
    assert deviation.events.filter(action="expire", actor=None).exists()


def test_daily_task_expires_past_deviations_once(engineer, customer_a, user_a):
    past = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    current = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    Deviation.objects.filter(pk=past.pk).update(expires_on=TODAY - dt.timedelta(days=2))
    assert tasks.expire_deviations() == 1
    assert tasks.expire_deviations() == 0
    assert Deviation.objects.get(pk=past.pk).status == "expired"
    assert Deviation.objects.get(pk=current.pk).status == "approved"
    assert DeviationEvent.objects.filter(deviation=past, action="expire").count() == 1


def test_close_and_cancel_need_a_reason_and_end_it(engineer, customer_a, user_a):
    active = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    services.deviation_close(deviation=active, actor=engineer, reason="Punch replaced")
    draft = draft_deviation(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError):
        services.deviation_cancel(deviation=draft, actor=engineer, reason="")
    services.deviation_cancel(deviation=draft, actor=engineer, reason="Not needed")
    assert Deviation.objects.get(pk=active.pk).status == "closed"
    assert Deviation.objects.get(pk=draft.pk).status == "cancelled"
    with pytest.raises(Conflict):
        services.deviation_close(deviation=draft, actor=engineer, reason="Again")
