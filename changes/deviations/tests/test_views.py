"""The deviation pages: the register, the signed approval in the portal, shipments, the PDF."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.models import Deviation, DeviationShipment
from core.models import Signature
from customers.tests.factories import PartFactory

from .factories import approved_deviation, draft_deviation, requested_deviation

pytestmark = pytest.mark.django_db


def _detail(deviation):
    return reverse("changes:deviation-detail", args=[deviation.pk])


def test_customer_approves_through_the_portal_with_password(
    engineer, customer_a, user_a, client_for
):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    client = client_for(user_a)
    page = client.get(_detail(deviation))
    assert page.status_code == 200 and b'name="password"' in page.content
    url = reverse("changes:deviation-decide", args=[deviation.pk, "approve"])
    response = client.post(
        url, {"password": DEFAULT_PASSWORD, "authorisation": "AW-9", "version": deviation.version}
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == "approved" and deviation.customer_authorisation == "AW-9"
    assert Signature.objects.for_owner(deviation).get().signer == user_a


def test_wrong_password_in_the_portal_is_refused_and_changes_nothing(
    engineer, customer_a, user_a, client_for
):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    url = reverse("changes:deviation-decide", args=[deviation.pk, "approve"])
    response = client_for(user_a).post(url, {"password": "not-mine", "authorisation": "AW-9"})
    assert response.status_code == 400
    assert "password is not correct" in response.content.decode()
    deviation.refresh_from_db()
    assert deviation.status == "requested" and deviation.customer_authorisation == ""
    assert not Signature.objects.exists()


def test_customer_b_gets_404_on_a_deviation_of_a(engineer, customer_a, user_a, user_b, client_for):
    deviation = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    client = client_for(user_b)
    pk = deviation.pk
    for name, args, method in [
        ("changes:deviation-detail", [pk], "get"),
        ("changes:deviation-pdf", [pk], "get"),
        ("changes:deviation-decide", [pk, "approve"], "post"),
        ("changes:deviation-shipment-add", [pk], "post"),
    ]:
        response = getattr(client, method)(reverse(name, args=args), {"password": DEFAULT_PASSWORD})
        assert response.status_code == 404, name
    listing = client.get(reverse("changes:deviation-list"))
    assert deviation.number not in listing.content.decode()


def test_customers_do_not_see_drafts(engineer, customer_a, user_a, client_for):
    deviation = draft_deviation(actor=engineer, customer=customer_a)
    assert client_for(user_a).get(_detail(deviation)).status_code == 404


def test_engineer_records_a_shipment_and_sees_refusals_inline(
    engineer, customer_a, user_a, client_for
):
    deviation = approved_deviation(
        actor=engineer, approver=user_a, customer=customer_a, quantity_cap=10
    )
    client = client_for(engineer)
    url = reverse("changes:deviation-shipment-add", args=[deviation.pk])
    fields = {"shipped_on": dt.date.today().isoformat(), "lot": "L-100", "shipping_reference": "DN"}
    refused = client.post(url, {**fields, "quantity": 11})
    assert refused.status_code == 400 and "left under the cap" in refused.content.decode()
    assert not DeviationShipment.objects.exists()
    assert client.post(url, {**fields, "quantity": 10}).status_code == 302
    assert Deviation.objects.get(pk=deviation.pk).status == "exhausted"


def test_engineer_creates_a_draft_through_the_form(engineer, customer_a, client_for):
    part = PartFactory(customer=customer_a)
    data = {
        "kind": "deviation",
        "title": "Alternative coating",
        "parts": [part.pk],
        "quantity_cap": "",
        "expires_on": "",
        "specification": "Zinc-nickel",
        "actual": "Zinc flake",
        "reason": "Supplier outage",
        "risk_assessment": "Salt spray 720 h passed",
        "identification": "Green dot",
    }
    client = client_for(engineer)
    refused = client.post(reverse("changes:deviation-create"), data)
    assert refused.status_code == 400 and "quantity cap" in refused.content.decode()
    data["expires_on"] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(reverse("changes:deviation-create"), data)
    deviation = Deviation.objects.get()
    assert response.status_code == 302 and list(deviation.parts.all()) == [part]
    assert deviation.customer == customer_a


def test_register_search_filters_and_warning(engineer, customer_a, user_a, client_for):
    near = approved_deviation(
        actor=engineer,
        approver=user_a,
        customer=customer_a,
        expires_on=dt.date.today() + dt.timedelta(days=3),
        authorisation="FIND-ME",
    )
    later = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    client = client_for(engineer)
    url = reverse("changes:deviation-list")
    expiring = client.get(url, {"expiring": "on"}).content.decode()
    assert near.number in expiring and later.number not in expiring
    assert "Expires in 3 days" in expiring
    found = client.get(url, {"q": "FIND-ME"}).content.decode()
    assert near.number in found and later.number not in found
    assert client.get(url, {"ordering": "-expires"}).status_code == 200


def test_pdf_reads_back(engineer, customer_a, user_a, client_for):
    deviation = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    response = client_for(user_a).get(reverse("changes:deviation-pdf", args=[deviation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert deviation.number in text and "CUST-AUTH-1" in text and "Yellow label" in text


def test_csv_export_streams_visible_rows(engineer, customer_a, customer_b, user_a, client_for):
    mine = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    other = requested_deviation(actor=engineer, customer=customer_b, title="=HYPERLINK(1)")
    body = b"".join(
        client_for(engineer).get(reverse("changes:deviation-export")).streaming_content
    ).decode("utf-8-sig")
    assert mine.number in body and other.number in body and "'=HYPERLINK(1)" in body
    own = b"".join(
        client_for(user_a).get(reverse("changes:deviation-export")).streaming_content
    ).decode("utf-8-sig")
    assert mine.number in own and other.number not in own
