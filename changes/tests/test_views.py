"""Change pages: tenancy, forms with inline errors and locking, signed decisions, exports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from changes.models import ChangeRequest

from .factories import PASSWORD, raise_change, to_customer_approval

pytestmark = pytest.mark.django_db


def _notified(customer, engineer, manager):
    change = raise_change(actor=engineer, customer=customer)
    return to_customer_approval(change, engineer=engineer, manager=manager)


def test_customer_b_gets_404_on_pages_and_pdf(customer_a, engineer, manager, user_b, client_for):
    change = _notified(customer_a, engineer, manager)
    client = client_for(user_b)
    for name in ("changes:change-detail", "changes:change-notice", "changes:change-update"):
        assert client.get(reverse(name, args=[change.pk])).status_code == 404
    url = reverse("changes:change-transition", args=[change.pk, "customer_approve"])
    assert client.post(url, {"customer_approve-password": PASSWORD}).status_code == 404
    assert ChangeRequest.objects.get(pk=change.pk).status == "customer_approval"
    assert change.number not in client.get(reverse("changes:change-list")).content.decode()


def test_customer_page_hides_internal_fields(customer_a, engineer, manager, user_a, client_for):
    change = _notified(customer_a, engineer, manager)
    page = client_for(user_a).get(change.get_absolute_url()).content.decode()
    assert change.title in page
    assert "Supplier quote 4711" not in page
    assert "1200" not in page
    assert "Approve the change" in page


def test_customer_approves_on_the_page_with_password(
    customer_a, engineer, manager, user_a, client_for
):
    change = _notified(customer_a, engineer, manager)
    client = client_for(user_a)
    url = reverse("changes:change-transition", args=[change.pk, "customer_approve"])
    wrong = client.post(
        url, {"customer_approve-password": "guess", "version": change.version}, follow=True
    )
    assert "password is not correct" in wrong.content.decode()
    assert ChangeRequest.objects.get(pk=change.pk).status == "customer_approval"
    client.post(url, {"customer_approve-password": PASSWORD, "version": change.version})
    assert ChangeRequest.objects.get(pk=change.pk).status == "approved"


def test_create_shows_inline_errors(customer_a, engineer, client_for):
    client = client_for(engineer)
    response = client.post(reverse("changes:change-create"), {"customer": customer_a.pk})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_customer_cannot_raise(user_a, client_for):
    assert client_for(user_a).get(reverse("changes:change-create")).status_code == 403


def test_stale_edit_answers_409(customer_a, engineer, client_for):
    change = raise_change(actor=engineer, customer=customer_a)
    client = client_for(engineer)
    url = reverse("changes:change-update", args=[change.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, bool)
    }
    data.update({"title": "Mine", "version": 1})
    response = client.post(url, data)
    assert response.status_code == 409
    assert ChangeRequest.objects.get(pk=change.pk).title == change.title


def test_list_queries_do_not_grow_with_rows(
    customer_a, engineer, manager, client_for, django_assert_max_num_queries
):
    client = client_for(engineer)
    raise_change(actor=engineer, customer=customer_a)

    def queries() -> int:
        with django_assert_max_num_queries(25) as captured:
            assert client.get(reverse("changes:change-list")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(5):
        raise_change(actor=engineer, customer=customer_a)
    assert queries() == few


def test_export_is_scoped_and_hides_cost_from_customers(
    customer_a, customer_b, engineer, manager, user_a, client_for
):
    mine = _notified(customer_a, engineer, manager)
    other = _notified(customer_b, engineer, manager)
    response = client_for(user_a).get(reverse("changes:change-export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert mine.number in text and other.number not in text
    assert "Cost" not in text.splitlines()[0]
    staff = client_for(engineer).get(reverse("changes:change-export") + "?q=" + mine.number)
    staff_text = b"".join(staff.streaming_content).decode("utf-8-sig")
    assert "1200" in staff_text and other.number not in staff_text


def test_detail_page_for_staff_shows_board_and_timeline(customer_a, engineer, manager, client_for):
    change = _notified(customer_a, engineer, manager)
    page = client_for(engineer).get(change.get_absolute_url()).content.decode()
    assert "Approved for the review board as Quality" in page
    assert "Sent to the customer for approval" in page


def test_staff_prepare_a_draft_on_the_page(customer_a, engineer, client_for):
    change = raise_change(actor=engineer, customer=customer_a)
    client = client_for(engineer)
    page = client.get(change.get_absolute_url())
    assert page.status_code == 200 and "Add" in page.content.decode()
    url = reverse("changes:row-add", args=[change.pk, "documents"])
    client.post(url, {"documents-kind": "pfmea", "documents-identifier": "PFMEA-77"})
    assert change.documents.get().identifier == "PFMEA-77"
    url = reverse("changes:row-add", args=[change.pk, "assessors"])
    client.post(url, {"assessors-function": "quality", "assessors-user": engineer.pk})
    assert change.assessors.count() == 1
    url = reverse("changes:change-transition", args=[change.pk, "submit"])
    client.post(url, {"version": ChangeRequest.objects.get(pk=change.pk).version})
    assert ChangeRequest.objects.get(pk=change.pk).status == "submitted"


def test_board_member_signs_on_the_page(customer_a, engineer, manager, client_for):
    from .factories import to_review_board

    change = to_review_board(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    client = client_for(manager)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Sign approval" in page
    url = reverse("changes:board-approve", args=[change.pk, change.approvers.get().pk])
    client.post(url, {"password": PASSWORD})
    assert ChangeRequest.objects.get(pk=change.pk).status == "customer_approval"


def test_admin_lists_changes_read_only(customer_a, engineer, admin_user, client_for):
    change = raise_change(actor=engineer, customer=customer_a)
    client = client_for(admin_user)
    assert change.number in client.get("/admin/changes/changerequest/").content.decode()
    url = f"/admin/changes/changerequest/{change.pk}/history/"
    assert client.get(url).status_code == 200
    assert client.get("/admin/changes/changerequest/add/").status_code == 403
