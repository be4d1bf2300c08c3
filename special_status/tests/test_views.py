"""The register, the status page with its checklist, evidence, exit and costs, and the forms."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from claims.tests.factories import png_upload
from core.models import Attachment, Signature
from customers.tests.factories import PartFactory
from special_status import services
from special_status.models import ExitCriterion, SpecialStatus

from .factories import exit_requested, open_status

pytestmark = pytest.mark.django_db
LIST = reverse("special_status:status-list")


def _detail(special_status) -> str:
    return reverse("special_status:status-detail", args=[special_status.pk])


# --- the register --------------------------------------------------------------------------------


def test_staff_filter_the_register_by_customer_kind_status_and_search(
    client_for, engineer, customer_a, customer_b
):
    cs1 = open_status(actor=engineer, customer=customer_a, customer_reference="AW-CS1-9")
    cs2 = open_status(actor=engineer, customer=customer_b, kind="cs2", customer_reference="BM-7")
    hold = exit_requested(actor=engineer, customer=customer_a, kind="new_business_hold")
    client = client_for(engineer)

    def numbers(**query) -> set[str]:
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {special_status.number for special_status in response.context["statuses"]}

    assert numbers() == {cs1.number, cs2.number, hold.number}
    assert numbers(customer=customer_a.pk) == {cs1.number, hold.number}
    assert numbers(kind="cs2") == {cs2.number}
    assert numbers(status="exit_requested") == {hold.number}
    assert numbers(q="AW-CS1") == {cs1.number}
    assert numbers(q=cs2.parts.get().part_number) == {cs2.number}
    assert numbers(waiting="customer") == {hold.number}
    page = client.get(LIST).content.decode()
    assert "Controlled shipping level 2 (CS2)" in page and customer_b.name in page


def test_the_register_pages_its_rows(client_for, engineer, customer_a):
    part = PartFactory(customer=customer_a)
    for _ in range(27):
        open_status(actor=engineer, parts=[part], criteria=["One"])
    client = client_for(engineer)
    first = client.get(LIST)
    assert len(first.context["statuses"]) == 25 and first.context["page_obj"].has_next()
    assert len(client.get(LIST, {"page": 2}).context["statuses"]) == 2


def test_a_customer_sees_only_their_own_statuses(client_for, engineer, customer_a, user_b):
    own = open_status(actor=engineer, customer=user_b.customer)
    open_status(actor=engineer, customer=customer_a)
    response = client_for(user_b).get(LIST, {"customer": customer_a.pk})
    assert [row.pk for row in response.context["statuses"]] == [own.pk]
    assert "customer" not in response.context["filters"].form.fields


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_checklist_evidence_and_whose_turn_it_is(
    client_for, engineer, customer_a, user_a
):
    special_status = open_status(actor=engineer, customer=customer_a, kind="cs2")
    criterion = special_status.criteria.get(position=1)
    services.criterion_meet(
        criterion=criterion, actor=engineer, met_on=timezone.localdate(), evidence="Tally sheets"
    )
    services.special_status_costs_save(
        special_status=special_status, actor=engineer, inspection_hours=12, hourly_rate=95
    )
    client = client_for(engineer)
    upload = client.post(
        reverse("special_status:criterion-attachment-add", args=[special_status.pk, criterion.pk]),
        {"files": png_upload("tally.png")},
    )
    assert upload.status_code == 302
    assert Attachment.objects.for_owner(criterion).count() == 1
    page = client.get(_detail(special_status)).content.decode()
    assert "1 of 3 met" in page and "Tally sheets" in page and "tally.png" in page
    assert "Waiting for: our team" in page and "1140.00 EUR" in page
    customer_page = client_for(user_a).get(_detail(special_status)).content.decode()
    assert "tally.png" in customer_page and "Tally sheets" in customer_page
    assert "1140" not in customer_page and "Inspection hours" not in customer_page
    assert "Inspection costs recorded" not in customer_page
    assert "Mark as met" not in customer_page


def test_staff_open_a_status_with_its_criteria_from_the_form(client_for, engineer, customer_a):
    part = PartFactory(customer=customer_a)
    client = client_for(engineer)
    assert client.get(reverse("special_status:status-create")).status_code == 200
    response = client.post(
        reverse("special_status:status-create"),
        {
            "customer": customer_a.pk,
            "kind": "escalation_2",
            "started_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
            "customer_reference": "ESC-2",
            "reason": "Repeat failures",
            "parts": [part.pk],
            "criteria": "0 ppm for 3 months\n\n  Audit passed  \n",
        },
    )
    special_status = SpecialStatus.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(special_status)
    assert list(special_status.criteria.values_list("text", flat=True)) == [
        "0 ppm for 3 months",
        "Audit passed",
    ]


def test_the_form_refuses_another_customers_part(client_for, engineer, customer_a, customer_b):
    response = client_for(engineer).post(
        reverse("special_status:status-create"),
        {
            "customer": customer_a.pk,
            "kind": "cs1",
            "started_on": timezone.localdate().isoformat(),
            "reason": "Burr",
            "parts": [PartFactory(customer=customer_b).pk],
        },
    )
    assert response.status_code == 400 and "parts" in response.context["form"].errors
    assert not SpecialStatus.objects.exists()


def test_customers_cannot_open_or_edit(client_for, engineer, user_a):
    special_status = open_status(actor=engineer, customer=user_a.customer)
    client = client_for(user_a)
    assert client.get(reverse("special_status:status-create")).status_code == 403
    update = reverse("special_status:status-update", args=[special_status.pk])
    assert client.get(update).status_code == 403


def test_the_exit_from_the_pages_meet_request_and_the_customers_signature(
    client_for, engineer, customer_a, user_a
):
    special_status = open_status(actor=engineer, customer=customer_a, criteria=["0 ppm"])
    criterion = special_status.criteria.get()
    staff = client_for(engineer)
    staff.post(
        reverse("special_status:criterion-action", args=[special_status.pk, criterion.pk, "meet"]),
        {
            "version": criterion.version,
            "met_on": timezone.localdate().isoformat(),
            "evidence": "Weekly reports",
        },
    )
    assert ExitCriterion.objects.get().met
    special_status.refresh_from_db()
    staff.post(
        reverse("special_status:status-transition", args=[special_status.pk, "request_exit"]),
        {"version": special_status.version},
    )
    special_status.refresh_from_db()
    assert special_status.status == "exit_requested"
    customer = client_for(user_a)
    page = customer.get(_detail(special_status)).content.decode()
    assert "Sign the exit" in page and "Decline the exit" in page
    sign = reverse("special_status:status-decide", args=[special_status.pk, "sign_exit"])
    wrong = customer.post(sign, {"version": special_status.version, "password": "nope"})
    assert wrong.status_code == 400 and "password" in wrong.context["sign_form"].errors
    signed = customer.post(sign, {"version": special_status.version, "password": DEFAULT_PASSWORD})
    assert signed.status_code == 302
    assert SpecialStatus.objects.get().status == "closed"
    assert Signature.objects.for_owner(special_status).get().signer == user_a


def test_a_manager_signs_on_behalf_choosing_the_attached_confirmation(
    client_for, engineer, manager, customer_a
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    client = client_for(manager)
    client.post(
        reverse("special_status:status-attachment-add", args=[special_status.pk]),
        {"files": png_upload("customer-letter.png")},
    )
    letter = Attachment.objects.for_owner(special_status).get()
    page = client.get(_detail(special_status))
    assert list(page.context["sign_form"].fields["confirmation"].queryset) == [letter]
    sign = reverse("special_status:status-decide", args=[special_status.pk, "sign_exit"])
    special_status.refresh_from_db()
    without = client.post(sign, {"version": special_status.version, "password": DEFAULT_PASSWORD})
    assert without.status_code == 400
    assert SpecialStatus.objects.get().status == "exit_requested"
    client.post(
        sign,
        {
            "version": special_status.version,
            "password": DEFAULT_PASSWORD,
            "confirmation": letter.pk,
        },
    )
    assert SpecialStatus.objects.get().exit_confirmation == letter


def test_the_customer_declines_from_the_page(client_for, engineer, customer_a, user_a):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    client_for(user_a).post(
        reverse("special_status:status-decide", args=[special_status.pk, "decline_exit"]),
        {"version": special_status.version, "reason": "One more reject"},
    )
    special_status.refresh_from_db()
    assert special_status.status == "open"
    assert special_status.decision_comment == "One more reject"


def test_costs_are_saved_from_the_page(client_for, engineer, customer_a):
    special_status = open_status(actor=engineer, customer=customer_a, kind="cs2")
    client_for(engineer).post(
        reverse("special_status:status-costs", args=[special_status.pk]),
        {
            "version": special_status.version,
            "inspection_hours": "10",
            "hourly_rate": "80.50",
            "currency": "EUR",
        },
    )
    special_status.refresh_from_db()
    assert special_status.inspection_cost == 805


# --- another customer's status is a 404, on every page -------------------------------------------


def test_customer_b_gets_404_on_every_page_of_as_status(client_for, engineer, customer_a, user_b):
    special_status = exit_requested(actor=engineer, customer=customer_a, kind="cs2")
    criterion = special_status.criteria.first()
    pk, cpk = special_status.pk, criterion.pk
    client = client_for(user_b)
    gets = [
        reverse("special_status:status-detail", args=[pk]),
        reverse("special_status:status-update", args=[pk]),
    ]
    posts = [
        reverse("special_status:status-update", args=[pk]),
        reverse("special_status:status-transition", args=[pk, "request_exit"]),
        reverse("special_status:status-decide", args=[pk, "sign_exit"]),
        reverse("special_status:status-decide", args=[pk, "decline_exit"]),
        reverse("special_status:status-costs", args=[pk]),
        reverse("special_status:status-attachment-add", args=[pk]),
        reverse("special_status:criterion-add", args=[pk]),
        reverse("special_status:criterion-action", args=[pk, cpk, "meet"]),
        reverse("special_status:criterion-action", args=[pk, cpk, "reopen"]),
        reverse("special_status:criterion-attachment-add", args=[pk, cpk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    body = {"password": DEFAULT_PASSWORD, "reason": "x", "text": "x", "evidence": "x"}
    for url in posts:
        assert client.post(url, body).status_code == 404, url
    assert SpecialStatus.objects.get().status == "exit_requested"
    assert special_status.number not in client.get(LIST).content.decode()


def test_staff_edit_an_open_status_and_not_one_the_customer_decides_on(
    client_for, engineer, customer_a
):
    special_status = open_status(actor=engineer, customer=customer_a)
    client = client_for(engineer)
    url = reverse("special_status:status-update", args=[special_status.pk])
    assert client.get(url).status_code == 200
    part = special_status.parts.get()
    saved = client.post(
        url,
        {
            "version": special_status.version,
            "kind": "escalation_3",
            "started_on": special_status.started_on.isoformat(),
            "customer_reference": "ESC3-1",
            "reason": "Escalated further",
            "parts": [part.pk],
        },
    )
    assert saved.status_code == 302
    special_status.refresh_from_db()
    assert (special_status.kind, special_status.customer_reference) == ("escalation_3", "ESC3-1")
    waiting = exit_requested(actor=engineer, customer=customer_a)
    refused = client.post(
        reverse("special_status:status-update", args=[waiting.pk]),
        {
            "version": waiting.version,
            "kind": "cs1",
            "started_on": waiting.started_on.isoformat(),
            "reason": "Changed while deciding",
        },
    )
    assert refused.status_code == 302
    waiting.refresh_from_db()
    assert waiting.reason != "Changed while deciding"
