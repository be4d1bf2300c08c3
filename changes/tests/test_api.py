"""The change API: scoped reads, the customer's signed approval, versions and the notice PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from changes.models import ChangeRequest
from core.models import Signature

from .factories import PASSWORD, raise_change, to_customer_approval, today

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/"


def _url(change, action: str = "") -> str:
    return f"{URL}{change.pk}/{action + '/' if action else ''}"


def test_customer_approves_through_the_api_and_the_change_proceeds(
    customer_a, engineer, manager, user_a, api_client_for
):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    customer = api_client_for(user_a)
    response = customer.post(
        _url(change, "customer-approve"), {"password": PASSWORD, "comment": "Agreed"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response["ETag"] == f'"{response.json()["version"]}"'
    staff = api_client_for(manager)
    response = staff.post(_url(change, "release"), {"password": PASSWORD}, format="json")
    assert response.json()["status"] == "released"
    staff = api_client_for(engineer)
    response = staff.post(_url(change, "validate"), {"results": "All OK"}, format="json")
    assert response.json()["status"] == "validated"
    body = {"implemented_on": today().isoformat(), "break_point": "Lot 2611"}
    response = staff.post(_url(change, "implement"), body, format="json")
    assert response.json()["status"] == "implemented"
    assert staff.post(_url(change, "close"), {}, format="json").json()["status"] == "closed"


def test_wrong_password_over_the_api_records_nothing(
    customer_a, engineer, manager, user_a, api_client_for
):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    signatures = Signature.objects.count()
    response = api_client_for(user_a).post(
        _url(change, "customer-approve"), {"password": "guess"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.json()
    assert ChangeRequest.objects.get(pk=change.pk).status == "customer_approval"
    assert Signature.objects.count() == signatures


def test_customer_b_gets_404_on_customer_a(customer_a, engineer, manager, user_b, api_client_for):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    client = api_client_for(user_b)
    assert client.get(_url(change)).status_code == 404
    assert client.get(_url(change, "notice")).status_code == 404
    response = client.post(_url(change, "customer-approve"), {"password": PASSWORD}, format="json")
    assert response.status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_customer_never_sees_drafts_or_internal_fields(
    customer_a, engineer, manager, user_a, api_client_for
):
    draft = raise_change(actor=engineer, customer=customer_a, title="Draft only")
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    client = api_client_for(user_a)
    assert client.get(_url(draft)).status_code == 404
    data = client.get(_url(change)).json()
    assert "cost_amount" not in data and "internal_notes" not in data
    assert all("internal_note" not in row for row in data["assessors"])
    staff = api_client_for(engineer).get(_url(change)).json()
    assert staff["internal_notes"] == "Supplier quote 4711"


def test_create_and_patch_with_if_match(customer_a, customer_b, engineer, api_client_for):
    client = api_client_for(engineer)
    body = {
        "customer": customer_a.pk,
        "title": "New gauge",
        "change_type": "process",
        "origin": "internal",
        "reason": "Gauge worn",
        "ppap_required": True,
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"].startswith("ECR-")
    assert (created["ppap_level"], created["psw_reason"]) == (3, "processing")
    url = f"{URL}{created['id']}/"
    stale = client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 409
    fresh = client.patch(
        url, {"title": "Gauge replaced"}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert fresh.status_code == 200 and fresh.json()["title"] == "Gauge replaced"
    from customers.tests.factories import PartFactory

    foreign = PartFactory(customer=customer_b)
    response = client.post(f"{url}parts/", {"part": foreign.pk, "new_revision": "B"}, format="json")
    assert response.status_code == 400


def test_notice_pdf_reads_back_without_internal_fields(
    customer_a, engineer, manager, user_a, api_client_for
):
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    response = api_client_for(user_a).get(_url(change, "notice"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert change.number in text
    assert "Punch material changed" in text
    assert "Supplier quote 4711" not in text  # internal notes
    assert "1200" not in text  # cost


def test_list_queries_do_not_grow_with_rows(
    customer_a, engineer, manager, user_a, api_client_for, django_assert_max_num_queries
):
    def queries(user) -> int:
        with django_assert_max_num_queries(30) as captured:
            assert api_client_for(user).get(URL).status_code == 200
        return len(captured.captured_queries)

    def new_change():
        change = raise_change(actor=engineer, customer=customer_a)
        to_customer_approval(change, engineer=engineer, manager=manager)

    new_change()
    few = {user: queries(user) for user in (engineer, user_a)}
    for _ in range(4):
        new_change()
    assert {user: queries(user) for user in (engineer, user_a)} == few
    assert max(few.values()) <= 12
