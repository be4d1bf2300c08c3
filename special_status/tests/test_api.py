"""The special status API: scoping, opening, the exit criteria, the signed exit and the costs."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from claims.tests.factories import png_upload
from core.models import Attachment, Signature
from customers.tests.factories import PartFactory
from special_status import services
from special_status.models import SpecialStatus

from .factories import closed, exit_requested, open_status, status_fields

pytestmark = pytest.mark.django_db
BASE = "/api/v1/special-statuses/"
TODAY = timezone.localdate()


def _body(part, **overrides) -> dict:
    fields = status_fields(**overrides)
    fields["started_on"] = fields["started_on"].isoformat()
    return {**fields, "customer": part.customer_id, "parts": [part.pk]}


def test_staff_open_with_criteria_and_patch_under_the_version(engineer, customer_a, api_client_for):
    part = PartFactory(customer=customer_a)
    api = api_client_for(engineer)
    created = api.post(BASE, {**_body(part), "criteria": ["0 ppm", "Audit"]}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["number"].startswith("SS-") and data["kind"] == "cs1"
    assert (data["criteria_met"], data["criteria_total"]) == (0, 2)
    assert data["waiting_for"]["party"] == "us"
    url = f"{BASE}{data['id']}/"
    assert api.patch(url, {"reason": "New", "version": 99}, format="json").status_code == 409
    patched = api.patch(url, {"kind": "cs2"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert patched.status_code == 200 and patched.json()["kind"] == "cs2"


def test_customers_cannot_open_and_parts_are_scoped(
    engineer, user_a, customer_a, customer_b, api_client_for
):
    part = PartFactory(customer=customer_a)
    assert api_client_for(user_a).post(BASE, _body(part), format="json").status_code == 403
    foreign = PartFactory(customer=customer_b)
    body = {**_body(part), "parts": [foreign.pk]}
    refused = api_client_for(engineer).post(BASE, body, format="json")
    assert refused.status_code == 400 and "parts" in refused.json()
    assert not SpecialStatus.objects.exists()


def test_the_exit_criteria_over_the_api(engineer, customer_a, api_client_for):
    special_status = open_status(actor=engineer, customer=customer_a, criteria=["0 ppm"])
    api = api_client_for(engineer)
    url = f"{BASE}{special_status.pk}/criteria/"
    added = api.post(url, {"text": "Audit passed"}, format="json")
    assert added.status_code == 201 and added.json()["position"] == 2
    for criterion in special_status.criteria.all():
        met = api.post(
            f"{url}{criterion.pk}/meet/",
            {"met_on": TODAY.isoformat(), "evidence": "Reports"},
            format="json",
        )
        assert met.status_code == 200 and met.json()["met"] is True
    upload = api.post(
        f"{url}{criterion.pk}/attachments/", {"file": [png_upload()]}, format="multipart"
    )
    assert upload.status_code == 201
    listed = api.get(url).json()
    assert [row["met"] for row in listed] == [True, True]
    assert listed[-1]["files"][0]["original_name"] == "photo.png"
    reopened = api.post(f"{url}{criterion.pk}/reopen/", {"reason": "Reject"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["met"] is False
    refused = api.post(f"{BASE}{special_status.pk}/request-exit/", {}, format="json")
    assert refused.status_code == 400


def test_the_customer_signs_the_exit_over_the_api(engineer, customer_a, user_a, api_client_for):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    api = api_client_for(user_a)
    url = f"{BASE}{special_status.pk}/sign-exit/"
    wrong = api.post(url, {"password": "nope"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()
    signed = api.post(url, {"password": DEFAULT_PASSWORD, "closing_note": "Good"}, format="json")
    assert signed.status_code == 200, signed.json()
    assert signed.json()["status"] == "closed" and signed.json()["waiting_for"] is None
    assert Signature.objects.for_owner(special_status).get().signer == user_a


def test_a_manager_signs_on_behalf_with_the_confirmations_id(
    engineer, manager, customer_a, api_client_for
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    api = api_client_for(manager)
    files = api.post(
        f"{BASE}{special_status.pk}/attachments/",
        {"file": [png_upload("letter.png")]},
        format="multipart",
    )
    assert files.status_code == 201
    letter = Attachment.objects.for_owner(special_status).get()
    url = f"{BASE}{special_status.pk}/sign-exit/"
    without = api.post(url, {"password": DEFAULT_PASSWORD}, format="json")
    assert without.status_code == 400 and "confirmation" in without.json()
    signed = api.post(url, {"password": DEFAULT_PASSWORD, "confirmation": letter.pk}, format="json")
    assert signed.status_code == 200 and signed.json()["exit_confirmation"] == letter.pk


def test_decline_and_costs(engineer, customer_a, user_a, api_client_for):
    special_status = exit_requested(actor=engineer, customer=customer_a, kind="cs2")
    declined = api_client_for(user_a).post(
        f"{BASE}{special_status.pk}/decline-exit/", {"reason": "Not yet"}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["status"] == "open"
    staff = api_client_for(engineer)
    costs = staff.post(
        f"{BASE}{special_status.pk}/costs/",
        {"inspection_hours": "20.00", "hourly_rate": "55.50", "currency": "EUR"},
        format="json",
    )
    assert costs.status_code == 200 and costs.json()["inspection_cost"] == "1110.00"
    customer_view = api_client_for(user_a).get(f"{BASE}{special_status.pk}/").json()
    assert "inspection_cost" not in customer_view and "hourly_rate" not in customer_view
    events = api_client_for(user_a).get(f"{BASE}{special_status.pk}/events/").json()
    assert "costs" not in [event["action"] for event in events]
    assert "costs" in [e["action"] for e in staff.get(f"{BASE}{special_status.pk}/events/").json()]
    assert api_client_for(user_a).post(
        f"{BASE}{special_status.pk}/costs/",
        {"inspection_hours": "1", "hourly_rate": "1"},
        format="json",
    ).status_code in (403,)


def test_customer_b_gets_404_on_as_status_everywhere_in_the_api(
    engineer, customer_a, user_a, user_b, api_client_for
):
    special_status = exit_requested(actor=engineer, customer=customer_a)
    criterion = special_status.criteria.first()
    own = api_client_for(user_a).get(BASE).json()
    assert [row["id"] for row in own["results"]] == [special_status.pk]
    api = api_client_for(user_b)
    assert api.get(BASE).json()["results"] == []
    base = f"{BASE}{special_status.pk}/"
    for url in (base, f"{base}criteria/", f"{base}events/", f"{base}attachments/"):
        assert api.get(url).status_code == 404, url
    assert api.get(f"{base}criteria/{criterion.pk}/attachments/").status_code == 404
    body = {"password": DEFAULT_PASSWORD, "reason": "x", "text": "x", "evidence": "x"}
    for url in (
        f"{base}sign-exit/",
        f"{base}decline-exit/",
        f"{base}request-exit/",
        f"{base}costs/",
        f"{base}criteria/",
        f"{base}criteria/{criterion.pk}/meet/",
        f"{base}criteria/{criterion.pk}/reopen/",
    ):
        assert api.post(url, body, format="json").status_code == 404, url
    assert api.patch(base, {"reason": "x"}, format="json").status_code == 404
    assert api.patch(
        f"{base}criteria/{criterion.pk}/", {"text": "x"}, format="json"
    ).status_code == (404)
    assert SpecialStatus.objects.get().status == "exit_requested"


def test_the_list_filters_by_kind_status_and_in_force(
    engineer, manager, customer_a, api_client_for
):
    cs1 = open_status(actor=engineer, customer=customer_a)
    cs2 = exit_requested(actor=engineer, customer=customer_a, kind="cs2")
    ended = closed(actor=engineer, signer=manager, customer=customer_a, kind="escalation_2")
    old = open_status(
        actor=engineer,
        customer=customer_a,
        kind="escalation_1",
        started_on=TODAY - dt.timedelta(days=300),
        criteria=["Done"],
    )
    services.criterion_meet(
        criterion=old.criteria.get(), actor=engineer, met_on=TODAY, evidence="Ok"
    )
    services.special_status_request_exit(special_status=old, actor=engineer)
    services.special_status_decline_exit(special_status=old, actor=manager, reason="Customer")
    api = api_client_for(engineer)

    def ids(**query):
        return {row["id"] for row in api.get(BASE, query).json()["results"]}

    assert ids(kind="cs2") == {cs2.pk}
    assert ids(status="exit_requested") == {cs2.pk}
    assert ids(in_force="true") == {cs1.pk, cs2.pk, old.pk}
    assert ids(status="closed") == {ended.pk}
    assert api.get(BASE, {"kind": "cs9"}).status_code == 400
