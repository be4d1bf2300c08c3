"""Tenant isolation sweep: customer B never sees customer A's records, in pages or the API.

Another customer's record answers 404, exactly like a missing one; staff pages answer 403.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Action, Attachment
from core.services import action_create, attachment_add
from customers.tests.factories import PartFactory


def _png_upload(name="drawing.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def part_a(customer_a):
    return PartFactory(customer=customer_a)


@pytest.fixture
def attachment_a(part_a, engineer):
    return attachment_add(
        owner=part_a,
        upload=_png_upload(),
        actor=engineer,
        policy=part_a.customer.requirements.attachment_policy,
    )


@pytest.fixture
def action_a(part_a, engineer):
    return action_create(
        record=part_a,
        title="Check drawing revision",
        kind=Action.Kind.CORRECTIVE,
        owner=engineer,
        due_date=dt.date.today() + dt.timedelta(days=5),
        actor=engineer,
    )


@pytest.mark.django_db
class TestCustomerBSeesNothingOfA:
    def test_part_page_is_404(self, client_for, user_b, part_a):
        response = client_for(user_b).get(reverse("customers:part-detail", args=[part_a.pk]))
        assert response.status_code == 404

    def test_part_page_is_200_for_owner(self, client_for, user_a, part_a):
        response = client_for(user_a).get(reverse("customers:part-detail", args=[part_a.pk]))
        assert response.status_code == 200

    def test_parts_list_hides_a(self, client_for, user_b, part_a):
        response = client_for(user_b).get(reverse("customers:part-list"))
        assert response.status_code == 200
        assert part_a.part_number not in response.content.decode()

    def test_attachment_download_is_404(self, client_for, user_b, attachment_a):
        url = reverse("core:attachment-download", args=[attachment_a.pk])
        assert client_for(user_b).get(url).status_code == 404

    def test_attachment_download_works_for_owner(self, client_for, user_a, attachment_a):
        url = reverse("core:attachment-download", args=[attachment_a.pk])
        response = client_for(user_a).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/parts/{part}/",
            "/api/v1/customers/{customer}/",
            "/api/v1/actions/{action}/",
            "/api/v1/attachments/{attachment}/",
            "/api/v1/attachments/{attachment}/download/",
        ],
    )
    def test_api_detail_is_404(self, api_client_for, user_b, part_a, action_a, attachment_a, path):
        url = path.format(
            part=part_a.pk,
            customer=part_a.customer_id,
            action=action_a.pk,
            attachment=attachment_a.pk,
        )
        assert api_client_for(user_b).get(url).status_code == 404

    def test_api_lists_hide_a(self, api_client_for, user_b, part_a, action_a):
        api = api_client_for(user_b)

        def ids(path):
            response = api.get(path)
            assert response.status_code == 200
            return {row["id"] for row in response.json()["results"]}

        assert part_a.pk not in ids("/api/v1/parts/")
        assert action_a.pk not in ids("/api/v1/actions/")
        assert ids("/api/v1/customers/") == {user_b.customer_id}

    def test_api_lists_show_a_to_a(self, api_client_for, user_a, part_a, action_a):
        api = api_client_for(user_a)
        assert part_a.pk in {r["id"] for r in api.get("/api/v1/parts/").json()["results"]}
        assert action_a.pk in {r["id"] for r in api.get("/api/v1/actions/").json()["results"]}

    def test_attachment_rows_scoped(self, user_a, user_b, attachment_a):
        assert Attachment.objects.visible_to(user_a).filter(pk=attachment_a.pk).exists()
        assert not Attachment.objects.visible_to(user_b).filter(pk=attachment_a.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,args",
    [
        ("customers:customer-list", []),
        ("customers:plant-list", []),
        ("customers:part-create", []),
        ("customers:part-import", []),
        ("core:my-actions", []),
    ],
)
def test_customer_user_cannot_reach_staff_pages(client_for, user_a, name, args):
    response = client_for(user_a).get(reverse(name, args=args))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_customer_user_cannot_open_admin(client_for, user_a):
    response = client_for(user_a).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_customer_detail_of_other_customer_is_forbidden(client_for, user_b, customer_a):
    response = client_for(user_b).get(reverse("customers:customer-detail", args=[customer_a.pk]))
    assert response.status_code in (403, 404)
