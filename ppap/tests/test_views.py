"""The PPAP pages: tenancy, drafts hidden from customers, query counts, the part page."""

import pytest
from django.urls import reverse

from core.models import Attachment
from ppap.models import PpapSubmission

from . import factories as f

pytestmark = pytest.mark.django_db


def test_customer_b_gets_404_on_everything_of_customer_a(
    client_for, engineer, manager, user_b, customer_a
):
    submission = f.sent(engineer, manager, customer=customer_a)
    element = submission.elements.get(number=9)
    attachment = Attachment.objects.for_owner(element).get()
    client = client_for(user_b)
    for url in (
        reverse("ppap:submission-detail", args=[submission.pk]),
        reverse("ppap:psw-pdf", args=[submission.pk]),
        reverse("ppap:package", args=[submission.pk]),
        reverse("core:attachment-download", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    url = reverse("ppap:element-action", args=[submission.pk, element.pk, "approve"])
    assert client.post(url).status_code == 404
    url = reverse("ppap:submission-dispose", args=[submission.pk])
    assert client.post(url, {"disposition": "approve", "password": f.PASSWORD}).status_code == 404
    assert PpapSubmission.objects.get(pk=submission.pk).status == "submitted"


def test_customer_never_sees_drafts_or_their_files(client_for, engineer, user_a, customer_a):
    draft = f.draft(engineer, customer=customer_a, reason_detail="Secret draft")
    element = draft.elements.get(number=9)
    attachment = f.attach(element, engineer)
    client = client_for(user_a)
    assert client.get(reverse("ppap:submission-detail", args=[draft.pk])).status_code == 404
    url = reverse("core:attachment-download", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert draft.number not in client.get(reverse("ppap:submission-list")).content.decode()


def test_customer_sees_and_decides_a_sent_submission(
    client_for, engineer, manager, user_a, customer_a
):
    submission = f.sent(engineer, manager, customer=customer_a)
    client = client_for(user_a)
    page = client.get(reverse("ppap:submission-detail", args=[submission.pk]))
    assert page.status_code == 200
    assert "Sign the decision" in page.content.decode()
    assert "Internal note" not in page.content.decode()
    url = reverse("ppap:submission-dispose", args=[submission.pk])
    client.post(
        url,
        {
            "disposition": "interim",
            "password": f.PASSWORD,
            "nonconformities": "x",
            "action_plan": "y",
        },
    )
    assert PpapSubmission.objects.get(pk=submission.pk).status == "submitted"  # no limit given
    client.post(url, {"disposition": "approve", "password": f.PASSWORD})
    assert PpapSubmission.objects.get(pk=submission.pk).status == "approved"
    part_page = client.get(reverse("customers:part-detail", args=[submission.part_id]))
    assert "part-ppap-status" in part_page.content.decode()
    assert submission.label in part_page.content.decode()


def test_staff_create_page_and_customers_forbidden(client_for, engineer, user_a, customer_a):
    from customers.tests.factories import PartFactory

    part = PartFactory(customer=customer_a)
    assert client_for(user_a).get(reverse("ppap:submission-create")).status_code == 403
    client = client_for(engineer)
    response = client.post(
        reverse("ppap:submission-create"), {"part": part.pk, "reason": "other", "level": ""}
    )
    assert response.status_code == 400  # "other" without a text: inline error, nothing saved
    assert not PpapSubmission.objects.exists()
    response = client.post(
        reverse("ppap:submission-create"), {"part": part.pk, "reason": "initial"}
    )
    submission = PpapSubmission.objects.get()
    assert response.status_code == 302 and submission.level == 3
    page = client.get(submission.get_absolute_url())
    assert page.status_code == 200 and "Element checklist" in page.content.decode()


@pytest.mark.parametrize("rows", [1, 6])
def test_list_page_queries_do_not_grow_with_rows(
    rows, client_for, engineer, django_assert_max_num_queries
):
    for _ in range(rows):
        f.draft(engineer)
    client = client_for(engineer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ppap:submission-list"), {"ordering": "-number"})
    assert response.status_code == 200
    assert response.content.decode().count("rev 1") >= rows


def test_list_filters(client_for, engineer):
    one = f.draft(engineer, level=2)
    other = f.draft(engineer, level=3)
    client = client_for(engineer)
    page = client.get(reverse("ppap:submission-list"), {"level": "2"}).content.decode()
    assert one.number in page and other.number not in page
    page = client.get(reverse("ppap:submission-list"), {"q": other.part.part_number})
    assert other.number in page.content.decode()
