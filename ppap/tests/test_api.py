"""The PPAP API: scoping, transitions as POST actions, decisions with password, downloads."""

import pytest

from core.models import Attachment
from customers.tests.factories import PartFactory
from ppap.models import PpapSubmission

from . import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/ppap/submissions/"


def test_customer_b_gets_404_on_customer_a_records_and_files(
    api_client_for, engineer, manager, user_b, customer_a
):
    submission = f.sent(engineer, manager, customer=customer_a)
    element = submission.elements.get(number=9)
    attachment = Attachment.objects.for_owner(element).get()
    api = api_client_for(user_b)
    for path in (
        f"{BASE}{submission.pk}/",
        f"{BASE}{submission.pk}/elements/",
        f"{BASE}{submission.pk}/elements/{element.pk}/attachments/",
        f"{BASE}{submission.pk}/warrant/",
        f"{BASE}{submission.pk}/psw/",
        f"{BASE}{submission.pk}/package/",
        f"{BASE}{submission.pk}/events/",
        f"/api/v1/attachments/{attachment.pk}/download/",
    ):
        assert api.get(path).status_code == 404, path
    response = api.post(
        f"{BASE}{submission.pk}/dispose/", {"disposition": "approve", "password": f.PASSWORD}
    )
    assert response.status_code == 404
    assert api.get(BASE).json()["count"] == 0


def test_create_send_and_decide_over_the_api(api_client_for, engineer, manager, user_a, customer_a):
    part = PartFactory(customer=customer_a)
    staff = api_client_for(engineer)
    response = staff.post(BASE, {"part": part.pk, "reason": "initial", "level": 1}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("PPAP-") and body["level"] == 1
    assert response["ETag"] == '"1"'
    submission = PpapSubmission.objects.get(pk=body["id"])
    # Customers never see a draft, not even their own company's.
    assert api_client_for(user_a).get(f"{BASE}{submission.pk}/").status_code == 404
    response = staff.post(f"{BASE}{submission.pk}/send/", {}, format="json")
    assert response.status_code == 400  # elements, warrant and run missing
    f.make_elements_ready(submission, engineer)
    patch = staff.patch(f"{BASE}{submission.pk}/warrant/", {"dimensional_ok": True}, format="json")
    assert patch.status_code == 200 and patch.json()["dimensional_ok"] is True
    f.complete_warrant(submission, engineer)
    sign = api_client_for(manager).post(
        f"{BASE}{submission.pk}/warrant/sign/", {"password": "wrong"}, format="json"
    )
    assert sign.status_code == 400 and "password" in sign.json()
    sign = api_client_for(manager).post(
        f"{BASE}{submission.pk}/warrant/sign/", {"password": f.PASSWORD}, format="json"
    )
    assert sign.status_code == 200 and sign.json()["signed_at"]
    f.record_run(submission, engineer)
    assert staff.post(f"{BASE}{submission.pk}/send/", {}, format="json").status_code == 200

    customer = api_client_for(user_a)
    assert customer.get(f"{BASE}{submission.pk}/").json()["status"] == "submitted"
    assert "internal_note" not in customer.get(f"{BASE}{submission.pk}/").json()
    refused = customer.post(
        f"{BASE}{submission.pk}/dispose/",
        {
            "disposition": "interim",
            "password": f.PASSWORD,
            "nonconformities": "x",
            "action_plan": "y",
        },
        format="json",
    )
    assert refused.status_code == 400 and "expires_on" in refused.json()
    element = submission.elements.get(number=13)
    review = customer.post(
        f"{BASE}{submission.pk}/elements/{element.pk}/do/reject/", {"comment": "Colour"}
    )
    assert review.status_code == 200 and review.json()["status"] == "rejected"
    decided = customer.post(
        f"{BASE}{submission.pk}/dispose/",
        {"disposition": "reject", "password": f.PASSWORD, "comment": "Colour off"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"
    resubmitted = staff.post(f"{BASE}{submission.pk}/resubmit/", {}, format="json")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["revision"] == 2 and resubmitted.json()["status"] == "draft"


def test_stale_version_is_a_409(api_client_for, engineer):
    submission = f.draft(engineer)
    api = api_client_for(engineer)
    response = api.patch(
        f"{BASE}{submission.pk}/", {"reason_detail": "x"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert response.status_code == 409


@pytest.mark.parametrize("rows", [1, 6])
def test_list_queries_do_not_grow_with_rows(
    rows, api_client_for, engineer, django_assert_max_num_queries
):
    for _ in range(rows):
        f.draft(engineer)
    api = api_client_for(engineer)
    with django_assert_max_num_queries(6):
        response = api.get(BASE)
    assert response.json()["count"] == rows


def test_psw_download_is_a_pdf(api_client_for, engineer, manager, user_a, customer_a):
    submission = f.sent(engineer, manager, customer=customer_a, level=1)
    response = api_client_for(user_a).get(f"{BASE}{submission.pk}/psw/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
