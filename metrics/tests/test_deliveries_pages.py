"""The delivery pages: staff only, filters with totals, and the CSV import with its report."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tests.factories import PartFactory, PlantFactory
from metrics.imports import COLUMNS
from metrics.models import Delivery

from .factories import deliver

pytestmark = pytest.mark.django_db

LIST = reverse("metrics:delivery-list")
IMPORT = reverse("metrics:delivery-import")
TEMPLATE = reverse("metrics:delivery-import-template")
HEADER = ",".join(COLUMNS)


@pytest.fixture
def bracket(customer_a):
    return PartFactory(part_number="4711-100", customer=customer_a, plant=PlantFactory(code="PL01"))


@pytest.fixture
def deliveries(bracket, customer_b):
    part_b = PartFactory(part_number="5811-200", customer=customer_b, plant=bracket.plant)
    return [
        deliver(bracket, dt.date(2026, 1, 10), 1000, delivery_note="A-1"),
        deliver(bracket, dt.date(2026, 2, 10), 2000, delivery_note="A-2"),
        deliver(part_b, dt.date(2026, 1, 12), 500, delivery_note="B-1"),
    ]


def upload(*lines):
    data = ("\r\n".join(lines) + "\r\n").encode()
    return SimpleUploadedFile("deliveries.csv", data, content_type="text/csv")


def csv_row(note, quantity="2400"):
    return f"{note},AUTOWERK,4711-100,,,2026-01-15,{quantity}"


class TestAccess:
    @pytest.mark.parametrize("url", [LIST, IMPORT, TEMPLATE])
    def test_customer_users_are_forbidden(self, client_for, user_a, url):
        assert client_for(user_a).get(url).status_code == 403

    def test_customer_user_cannot_post_an_import(self, client_for, user_a, bracket):
        response = client_for(user_a).post(IMPORT, {"file": upload(HEADER, csv_row("DN-1"))})
        assert response.status_code == 403
        assert not Delivery.objects.exists()

    @pytest.mark.parametrize("url", [LIST, IMPORT])
    def test_anonymous_is_sent_to_sign_in(self, client, url):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]

    def test_staff_navigation_links_to_deliveries(self, client_for, engineer):
        html = client_for(engineer).get(reverse("core:home")).content.decode()
        assert f'href="{LIST}"' in html


class TestList:
    def test_lists_every_delivery_with_totals(self, client_for, engineer, deliveries):
        response = client_for(engineer).get(LIST)
        assert response.status_code == 200
        assert [d.delivery_note for d in response.context["deliveries"]] == ["A-2", "B-1", "A-1"]
        assert response.context["totals"] == {"count": 3, "quantity": 3500}
        html = response.content.decode()
        assert "A-2" in html and "5811-200" in html
        assert "3,500" in html

    def test_filters_narrow_rows_and_totals(self, client_for, engineer, bracket, deliveries):
        client = client_for(engineer)
        january = client.get(LIST, {"shipped_from": "2026-01-01", "shipped_to": "2026-01-31"})
        assert [d.delivery_note for d in january.context["deliveries"]] == ["B-1", "A-1"]
        assert january.context["totals"] == {"count": 2, "quantity": 1500}

        by_part = client.get(LIST, {"part": bracket.pk, "shipped_from": "2026-01-01"})
        assert by_part.context["totals"] == {"count": 2, "quantity": 3000}

        by_customer = client.get(LIST, {"customer": deliveries[2].customer_id})
        assert [d.delivery_note for d in by_customer.context["deliveries"]] == ["B-1"]

        by_plant = client.get(LIST, {"plant": PlantFactory().pk})
        assert by_plant.context["totals"] == {"count": 0, "quantity": 0}
        assert "No delivery matches these filters" in by_plant.content.decode()

        by_note = client.get(LIST, {"delivery_note": "a-2"})
        assert [d.delivery_note for d in by_note.context["deliveries"]] == ["A-2"]

    def test_pages_of_fifty(self, client_for, engineer, bracket):
        Delivery.objects.bulk_create(
            Delivery(
                customer=bracket.customer,
                part=bracket,
                plant=bracket.plant,
                ship_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                quantity=10,
                delivery_note=f"DN-{n:03d}",
            )
            for n in range(60)
        )
        client = client_for(engineer)
        first = client.get(LIST)
        assert len(first.context["deliveries"]) == 50
        assert first.context["totals"] == {"count": 60, "quantity": 600}
        assert len(client.get(LIST, {"page": 2}).context["deliveries"]) == 10

    def test_query_count_does_not_grow_with_rows(self, client_for, engineer, bracket):
        client = client_for(engineer)
        for n in range(5):
            deliver(bracket, dt.date(2026, 1, 1) + dt.timedelta(days=n), 100)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        for n in range(40):
            deliver(bracket, dt.date(2025, 1, 1) + dt.timedelta(days=n), 100)
        with CaptureQueriesContext(connection) as many:
            client.get(LIST)
        assert len(few) == len(many)

    def test_empty_list_offers_the_import(self, client_for, engineer):
        html = client_for(engineer).get(LIST).content.decode()
        assert "No deliveries yet" in html
        assert f'href="{IMPORT}"' in html


class TestImportPage:
    def test_form_and_template_link(self, client_for, engineer):
        response = client_for(engineer).get(IMPORT)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'type="file"' in html
        assert f'href="{TEMPLATE}"' in html

    def test_good_upload_shows_the_counts(self, client_for, engineer, bracket):
        client = client_for(engineer)
        client.post(IMPORT, {"file": upload(HEADER, csv_row("DN-1"))})
        response = client.post(
            IMPORT, {"file": upload(HEADER, csv_row("DN-1", "2300"), csv_row("DN-2"))}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Import finished" in html
        assert '<td class="text-end" data-count="created">1</td>' in html
        assert '<td class="text-end" data-count="updated">1</td>' in html
        assert '<td class="text-end" data-count="unchanged">0</td>' in html
        assert Delivery.objects.get(delivery_note="DN-1").quantity == 2300

    def test_bad_upload_lists_line_column_reason(self, client_for, engineer, bracket):
        response = client_for(engineer).post(
            IMPORT, {"file": upload(HEADER, csv_row("DN-1"), csv_row("DN-2", "many"))}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Nothing was imported" in html
        reason = "Enter a whole number of parts."
        assert f"<td>3</td><td><code>quantity</code></td><td>{reason}</td>" in html
        assert not Delivery.objects.exists()

    def test_a_post_without_a_file_is_refused(self, client_for, engineer):
        response = client_for(engineer).post(IMPORT, {})
        assert response.status_code == 400
        assert response.context["form"].errors["file"]

    def test_template_download_is_the_header_and_an_example(self, client_for, engineer):
        response = client_for(engineer).get(TEMPLATE)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response.content.decode().splitlines()[0] == HEADER
