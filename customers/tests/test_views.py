import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Attachment
from customers import services
from customers.models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant
from customers.services import MODULE_REQUIREMENTS_FIELDS
from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def plant():
    return PlantFactory(code="HEILBRONN", name="Heilbronn")


@pytest.fixture
def part_a(customer_a, plant):
    return PartFactory(part_number="A-100", customer=customer_a, plant=plant)


@pytest.fixture
def part_b(customer_b, plant):
    return PartFactory(part_number="B-200", customer=customer_b, plant=plant)


def png_upload(name="drawing.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def staff_pages(customer, plant, part):
    holiday = Holiday.objects.create(customer=customer, date=dt.date(2026, 1, 1), name="New Year")
    contact = Contact.objects.create(customer=customer, name="Jana")
    return [
        reverse("customers:customer-list"),
        reverse("customers:customer-create"),
        reverse("customers:customer-detail", args=[customer.pk]),
        reverse("customers:customer-update", args=[customer.pk]),
        reverse("customers:requirements-update", args=[customer.pk]),
        reverse("customers:contact-create", args=[customer.pk]),
        reverse("customers:contact-update", args=[customer.pk, contact.pk]),
        reverse("customers:holiday-add", args=[customer.pk]),
        reverse("customers:holiday-remove", args=[customer.pk, holiday.pk]),
        reverse("customers:plant-list"),
        reverse("customers:plant-create"),
        reverse("customers:plant-detail", args=[plant.pk]),
        reverse("customers:plant-update", args=[plant.pk]),
        reverse("customers:part-create"),
        reverse("customers:part-update", args=[part.pk]),
        reverse("customers:part-import"),
    ]


class TestAccess:
    def test_customer_users_get_403_on_every_staff_page(self, client_for, user_a, part_a, plant):
        client = client_for(user_a)
        for url in staff_pages(user_a.customer, plant, part_a):
            assert client.get(url).status_code == 403, url

    def test_customer_user_cannot_post_to_staff_pages(self, client_for, user_a, customer_a):
        response = client_for(user_a).post(
            reverse("customers:customer-update", args=[customer_a.pk]),
            {"name": "Hacked", "code": "AUTOWERK", "time_zone": "Europe/Berlin"},
        )
        assert response.status_code == 403
        customer_a.refresh_from_db()
        assert customer_a.name == "Autowerk AG"

    def test_manager_reaches_every_staff_page(self, client_for, manager, part_a, plant):
        client = client_for(manager)
        for url in staff_pages(part_a.customer, plant, part_a):
            assert client.get(url).status_code == 200, url

    def test_engineer_reads_customers_but_may_not_manage_them(
        self, client_for, engineer, customer_a
    ):
        client = client_for(engineer)
        assert client.get(reverse("customers:customer-list")).status_code == 200
        assert (
            client.get(reverse("customers:customer-detail", args=[customer_a.pk])).status_code
            == 200
        )
        assert client.get(reverse("customers:customer-create")).status_code == 403
        assert client.get(reverse("customers:plant-create")).status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("customers:part-list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class TestCustomerPages:
    def test_list_searches_filters_and_paginates(self, client_for, manager):
        for n in range(30):
            CustomerFactory(name=f"Zulu {n:02d}", code=f"ZULU{n:02d}")
        CustomerFactory(
            name="Alpha Inactive", code="ALPHA", supplier_number="SUP-77", is_active=False
        )
        client = client_for(manager)

        page = client.get(reverse("customers:customer-list"))
        assert len(page.context["customers"]) == 25
        assert page.context["page_obj"].paginator.count == 31

        found = client.get(reverse("customers:customer-list"), {"q": "sup-77"})
        assert [c.code for c in found.context["customers"]] == ["ALPHA"]
        inactive = client.get(reverse("customers:customer-list"), {"status": "inactive"})
        assert [c.code for c in inactive.context["customers"]] == ["ALPHA"]
        active = client.get(reverse("customers:customer-list"), {"status": "active"})
        assert active.context["page_obj"].paginator.count == 30

    def test_empty_state(self, client_for, manager):
        response = client_for(manager).get(reverse("customers:customer-list"), {"q": "nothing"})
        assert "No customer matches these filters" in response.content.decode()

    def test_create_with_invalid_input_shows_inline_errors(self, client_for, manager):
        response = client_for(manager).post(
            reverse("customers:customer-create"),
            {"name": "", "code": "bad code", "time_zone": "Europe/Berlin"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"name", "code"}
        assert 'class="invalid-feedback d-block"' in response.content.decode()
        assert not Customer.objects.exists()

    def test_create_then_detail(self, client_for, manager):
        response = client_for(manager).post(
            reverse("customers:customer-create"),
            {
                "name": "Caldera Trucks",
                "code": "CALDERA",
                "supplier_number": "77-12",
                "city": "Gothenburg",
                "time_zone": "Europe/Stockholm",
                "is_active": "on",
            },
            follow=True,
        )
        customer = Customer.objects.get(code="CALDERA")
        assert response.redirect_chain[-1][0] == reverse(
            "customers:customer-detail", args=[customer.pk]
        )
        html = response.content.decode()
        assert "77-12" in html and "Europe/Stockholm" in html
        assert CustomerRequirements.objects.filter(customer=customer).exists()
        assert customer.history.first().history_user.email == manager.email

    def test_edit_with_invalid_input_changes_nothing(
        self, client_for, manager, customer_a, customer_b
    ):
        response = client_for(manager).post(
            reverse("customers:customer-update", args=[customer_a.pk]),
            {"name": "New name", "code": customer_b.code, "time_zone": "Europe/Berlin"},
        )
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        customer_a.refresh_from_db()
        assert (customer_a.name, customer_a.code) == ("Autowerk AG", "AUTOWERK")

    def test_detail_shows_sections_and_links_parts(self, client_for, manager, part_a):
        customer = part_a.customer
        services.holiday_add(
            customer=customer, date=dt.date(2026, 12, 25), name="Christmas", actor=manager
        )
        response = client_for(manager).get(
            reverse("customers:customer-detail", args=[customer.pk]), {"year": 2026}
        )
        html = response.content.decode()
        assert f"{reverse('customers:part-list')}?customer={customer.pk}" in html
        assert response.context["part_count"] == 1
        assert "Christmas" in html
        assert "1 working day<" in html  # D3 basis, singular
        assert "History" in html


class TestRequirementsPage:
    def url(self, customer):
        return reverse("customers:requirements-update", args=[customer.pk])

    def data(self, **changes):
        data = {
            "d3_days": 1,
            "d3_basis": "working",
            "d4_days": 7,
            "d4_basis": "calendar",
            "d6_days": 14,
            "d6_basis": "calendar",
            "d7_days": 25,
            "d7_basis": "calendar",
            "d8_days": 60,
            "d8_basis": "calendar",
            "ppm_target_0km": "50",
            "ppm_target_field": "10",
            "default_ppap_level": 3,
            "allowed_attachment_types": ["application/pdf", "image/png"],
            "max_attachment_mb": 20,
            "report_recipients": "quality@autowerk.example",
            "reaction_hours": 4,
            "reaction_hours_safety": 1,
            "repeat_symptom_percent": 50,
            "similar_symptom_percent": 30,
            "similar_lookback_days": 730,
            **{
                name: CustomerRequirements._meta.get_field(name).default
                for name in MODULE_REQUIREMENTS_FIELDS
            },
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def test_checkboxes_for_types(self, client_for, manager, customer_a):
        html = client_for(manager).get(self.url(customer_a)).content.decode()
        assert 'type="checkbox" name="allowed_attachment_types" value="application/pdf"' in html

    def test_valid_edit_is_saved(self, client_for, manager, customer_a):
        response = client_for(manager).post(self.url(customer_a), self.data())
        assert response.status_code == 302
        requirements = CustomerRequirements.objects.get(customer=customer_a)
        assert requirements.d8_days == 60
        assert requirements.allowed_attachment_types == ["application/pdf", "image/png"]

    def test_similarity_thresholds_are_edited_with_the_requirements(
        self, client_for, manager, customer_a
    ):
        client = client_for(manager)
        assert 'name="similar_symptom_percent"' in client.get(self.url(customer_a)).content.decode()

        response = client.post(
            self.url(customer_a),
            self.data(
                repeat_symptom_percent=80, similar_symptom_percent=20, similar_lookback_days=90
            ),
        )

        assert response.status_code == 302
        requirements = CustomerRequirements.objects.get(customer=customer_a)
        assert requirements.repeat_symptom_percent == 80
        assert requirements.similar_symptom_percent == 20
        assert requirements.similar_lookback_days == 90
        detail = client.get(reverse("customers:customer-detail", args=[customer_a.pk]))
        assert "20 % shared symptom words, last 90 days" in detail.content.decode()

    def test_similarity_threshold_above_100_percent_is_refused(
        self, client_for, manager, customer_a
    ):
        response = client_for(manager).post(
            self.url(customer_a), self.data(similar_symptom_percent=101)
        )

        assert response.status_code == 200
        assert "similar_symptom_percent" in response.context["form"].errors
        assert CustomerRequirements.objects.get(customer=customer_a).similar_symptom_percent == 30

    def test_bad_recipient_shows_error_and_changes_nothing(self, client_for, manager, customer_a):
        response = client_for(manager).post(
            self.url(customer_a), self.data(report_recipients="ok@example.com\nbroken@")
        )
        assert response.status_code == 200
        assert (
            "“broken@” is not a valid e-mail address."
            in response.context["form"].errors["report_recipients"][0]
        )
        assert CustomerRequirements.objects.get(customer=customer_a).d8_days == 30

    def test_empty_type_list_shows_error(self, client_for, manager, customer_a):
        response = client_for(manager).post(
            self.url(customer_a), self.data(allowed_attachment_types=None)
        )
        assert response.context["form"].errors["allowed_attachment_types"] == [
            "Choose at least one file type."
        ]
        assert CustomerRequirements.objects.get(customer=customer_a).d8_days == 30


class TestContactsAndHolidays:
    def test_add_and_edit_contact(self, client_for, manager, customer_a):
        client = client_for(manager)
        client.post(
            reverse("customers:contact-create", args=[customer_a.pk]),
            {"name": "Jana Novak", "email": "jana@example.com", "is_active": "on"},
        )
        contact = Contact.objects.get(customer=customer_a)
        response = client.post(
            reverse("customers:contact-update", args=[customer_a.pk, contact.pk]),
            {"name": "Jana Novak", "email": "not-an-email", "is_active": "on"},
        )
        assert "email" in response.context["form"].errors
        assert Contact.objects.get(pk=contact.pk).email == "jana@example.com"

    def test_contact_of_another_customer_is_404(self, client_for, manager, customer_a, customer_b):
        contact = Contact.objects.create(customer=customer_b, name="Other")
        url = reverse("customers:contact-update", args=[customer_a.pk, contact.pk])
        assert client_for(manager).get(url).status_code == 404

    def test_add_holiday_then_remove_with_confirmation(self, client_for, manager, customer_a):
        client = client_for(manager)
        client.post(
            reverse("customers:holiday-add", args=[customer_a.pk]),
            {"date": "2026-12-24", "name": "Christmas Eve"},
        )
        holiday = Holiday.objects.get(customer=customer_a)
        url = reverse("customers:holiday-remove", args=[customer_a.pk, holiday.pk])
        confirm = client.get(url)
        assert "Christmas Eve" in confirm.content.decode()
        assert Holiday.objects.exists()  # asking is not removing
        response = client.post(url)
        assert response.status_code == 302
        assert not Holiday.objects.exists()

    def test_duplicate_holiday_shows_error(self, client_for, manager, customer_a):
        services.holiday_add(
            customer=customer_a, date=dt.date(2026, 5, 1), name="Labour Day", actor=manager
        )
        response = client_for(manager).post(
            reverse("customers:holiday-add", args=[customer_a.pk]),
            {"date": "2026-05-01", "name": "Again"},
        )
        assert response.status_code == 200
        assert "already has a holiday on that day" in response.content.decode()
        assert Holiday.objects.count() == 1


class TestPlantPages:
    def test_create_edit_detail(self, client_for, manager):
        client = client_for(manager)
        client.post(
            reverse("customers:plant-create"),
            {"code": "BRNO", "name": "Brno", "time_zone": "Europe/Prague", "is_active": "on"},
        )
        plant = Plant.objects.get(code="BRNO")
        client.post(
            reverse("customers:plant-update", args=[plant.pk]),
            {"code": "BRNO", "name": "Brno machining", "time_zone": "Europe/Prague"},
        )
        plant.refresh_from_db()
        assert (plant.name, plant.is_active) == ("Brno machining", False)
        detail = client.get(reverse("customers:plant-detail", args=[plant.pk]))
        assert "Brno machining" in detail.content.decode()
        assert len(detail.context["history"]) == 2
        listing = client.get(reverse("customers:plant-list"), {"q": "brno"})
        assert [p.code for p in listing.context["plants"]] == ["BRNO"]

    def test_invalid_plant_is_not_created(self, client_for, manager):
        response = client_for(manager).post(
            reverse("customers:plant-create"), {"code": "x", "name": "", "time_zone": "Mars/Base"}
        )
        assert set(response.context["form"].errors) == {"code", "name", "time_zone"}
        assert not Plant.objects.exists()


class TestPartPages:
    def test_customer_user_sees_only_own_parts(self, client_for, user_a, part_a, part_b):
        response = client_for(user_a).get(reverse("customers:part-list"))
        html = response.content.decode()
        assert [p.part_number for p in response.context["parts"]] == ["A-100"]
        assert "B-200" not in html
        assert 'name="customer"' not in html  # no customer filter for customer users

    def test_user_b_gets_404_on_a_part(self, client_for, user_b, part_a):
        url = reverse("customers:part-detail", args=[part_a.pk])
        assert client_for(user_b).get(url).status_code == 404

    def test_user_a_reads_own_part_without_edit_links(self, client_for, user_a, part_a):
        response = client_for(user_a).get(reverse("customers:part-detail", args=[part_a.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert part_a.customer_part_number in html
        assert reverse("customers:part-update", args=[part_a.pk]) not in html
        assert reverse("customers:part-attachment-add", args=[part_a.pk]) not in html

    def test_filters_and_search(self, client_for, engineer, customer_a, customer_b, plant):
        other_plant = PlantFactory(code="BRNO")
        today = dt.date.today()
        PartFactory(part_number="S-1", customer=customer_a, plant=plant, safety_relevant=True)
        PartFactory(part_number="S-2", customer=customer_b, plant=other_plant, commodity="Forging")
        PartFactory(
            part_number="OLD",
            customer=customer_a,
            plant=plant,
            active_to=today - dt.timedelta(days=1),
        )
        client = client_for(engineer)

        def numbers(**params):
            response = client.get(reverse("customers:part-list"), params)
            return [p.part_number for p in response.context["parts"]]

        assert numbers(customer=customer_b.pk) == ["S-2"]
        assert numbers(plant=other_plant.pk) == ["S-2"]
        assert numbers(commodity="forging") == ["S-2"]
        assert numbers(safety="yes") == ["S-1"]
        assert numbers(active_today="on") == ["S-1", "S-2"]
        assert numbers(q="old") == ["OLD"]
        assert numbers(ordering="-part_number") == ["S-2", "S-1", "OLD"]
        # The filter form carries the chosen order along as a plain value.
        sorted_page = client.get(reverse("customers:part-list"), {"ordering": "-part_number"})
        assert 'name="ordering" value="-part_number"' in sorted_page.content.decode()
        assert (
            "No part matches these filters"
            in client.get(reverse("customers:part-list"), {"q": "zzz"}).content.decode()
        )

    def test_list_paginates_by_50(self, client_for, engineer, customer_a, plant):
        PartFactory.create_batch(55, customer=customer_a, plant=plant)
        response = client_for(engineer).get(reverse("customers:part-list"), {"page": 2})
        assert len(response.context["parts"]) == 5

    def test_create_with_invalid_input_shows_errors(self, client_for, engineer, customer_a, plant):
        response = client_for(engineer).post(
            reverse("customers:part-create"),
            {
                "part_number": "",
                "revision": "A",
                "customer": customer_a.pk,
                "customer_part_number": "X",
                "description": "Bracket",
                "plant": plant.pk,
                "active_from": "2026-05-01",
                "active_to": "2026-04-01",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "part_number" in errors
        assert not Part.objects.exists()

    def test_inactive_customers_are_not_offered(self, client_for, engineer, customer_a):
        CustomerFactory(name="Gone GmbH", code="GONE", is_active=False)
        form = client_for(engineer).get(reverse("customers:part-create")).context["form"]
        assert list(form.fields["customer"].queryset) == [customer_a]

    def test_create_and_edit(self, client_for, engineer, customer_a, plant):
        client = client_for(engineer)
        data = {
            "part_number": "N-1",
            "revision": "A",
            "customer": customer_a.pk,
            "customer_part_number": "CN-1",
            "description": "Bracket",
            "plant": plant.pk,
        }
        response = client.post(reverse("customers:part-create"), data)
        part = Part.objects.get(part_number="N-1")
        assert response["Location"] == reverse("customers:part-detail", args=[part.pk])
        client.post(
            reverse("customers:part-update", args=[part.pk]), {**data, "description": "Hinge"}
        )
        detail = client.get(reverse("customers:part-detail", args=[part.pk]))
        assert "Hinge" in detail.content.decode()
        assert len(detail.context["history"]) == 2

    def test_duplicate_part_shows_error_and_keeps_old(self, client_for, engineer, part_a, plant):
        response = client_for(engineer).post(
            reverse("customers:part-create"),
            {
                "part_number": part_a.part_number,
                "revision": part_a.revision,
                "customer": part_a.customer_id,
                "customer_part_number": "OTHER",
                "description": "Dup",
                "plant": plant.pk,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert Part.objects.count() == 1


class TestPartAttachments:
    def url(self, part):
        return reverse("customers:part-attachment-add", args=[part.pk])

    def test_engineer_uploads_and_customer_sees_it(
        self, client_for, engineer, user_a, part_a, media_root
    ):
        response = client_for(engineer).post(
            self.url(part_a), {"file": png_upload(), "description": "Drawing rev. C"}
        )
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.owner == part_a
        detail = client_for(user_a).get(reverse("customers:part-detail", args=[part_a.pk]))
        html = detail.content.decode()
        assert reverse("core:attachment-download", args=[attachment.pk]) in html
        assert "Drawing rev. C" in html

    def test_refused_file_shows_error_and_stores_nothing(
        self, client_for, engineer, manager, part_a, media_root
    ):
        services.requirements_update(
            requirements=part_a.customer.requirements,
            actor=manager,
            allowed_attachment_types=["application/pdf"],
        )
        response = client_for(engineer).post(self.url(part_a), {"file": png_upload()})
        assert response.status_code == 400
        assert "not an allowed file type" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_customer_user_may_not_upload(self, client_for, user_a, part_a, media_root):
        response = client_for(user_a).post(self.url(part_a), {"file": png_upload()})
        assert response.status_code == 403
        assert not Attachment.objects.exists()
