import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.calendar import DayBasis
from core.errors import PermissionDenied
from customers import defaults, services
from customers.models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant
from customers.selectors import holidays_for
from customers.tests.factories import PartFactory, PlantFactory

pytestmark = pytest.mark.django_db


class TestCustomers:
    def test_create_seeds_requirements_with_reference_defaults(self, manager):
        customer = services.customer_create(actor=manager, name="Caldera Trucks", code="CALDERA")
        requirements = customer.requirements
        assert requirements.deadline("d3") == (1, DayBasis.WORKING)
        assert requirements.deadline("d8") == (30, DayBasis.CALENDAR)
        assert requirements.default_ppap_level == defaults.DEFAULT_PPAP_LEVEL
        assert customer.history.first().history_user == manager

    def test_engineer_may_not_create_customers(self, engineer):
        with pytest.raises(PermissionDenied):
            services.customer_create(actor=engineer, name="X", code="XCODE")
        assert not Customer.objects.filter(code="XCODE").exists()

    def test_invalid_code_is_a_field_error_and_nothing_is_stored(self, manager):
        with pytest.raises(ValidationError) as caught:
            services.customer_create(actor=manager, name="Lower", code="lower case")
        assert "code" in caught.value.message_dict
        assert not Customer.objects.filter(name="Lower").exists()
        assert not CustomerRequirements.objects.filter(customer__name="Lower").exists()

    def test_update_changes_fields_and_records_who(self, manager, customer_a):
        services.customer_update(customer=customer_a, actor=manager, city="Ingolstadt")
        customer_a.refresh_from_db()
        assert customer_a.city == "Ingolstadt"
        assert customer_a.history.first().history_user == manager

    def test_update_with_duplicate_code_changes_nothing(self, manager, customer_a, customer_b):
        with pytest.raises(ValidationError) as caught:
            services.customer_update(customer=customer_b, actor=manager, code=customer_a.code)
        assert "code" in caught.value.message_dict
        customer_b.refresh_from_db()
        assert customer_b.code == "BRENNER"

    def test_unknown_field_is_a_programming_error(self, manager, customer_a):
        with pytest.raises(TypeError):
            services.customer_update(customer=customer_a, actor=manager, colour="red")


class TestRequirements:
    def test_update_saves_valid_values(self, manager, customer_a):
        services.requirements_update(
            requirements=customer_a.requirements,
            actor=manager,
            d8_days=60,
            ppm_target_0km=Decimal("25.5"),
            allowed_attachment_types=["application/pdf"],
            report_recipients="a@example.com; b@example.com",
        )
        requirements = CustomerRequirements.objects.get(customer=customer_a)
        assert requirements.d8_days == 60
        assert requirements.ppm_target_0km == Decimal("25.5")
        assert requirements.attachment_policy.allowed_types == ("application/pdf",)
        assert requirements.recipients == ["a@example.com", "b@example.com"]

    def test_bad_recipient_is_refused(self, manager, customer_a):
        with pytest.raises(ValidationError) as caught:
            services.requirements_update(
                requirements=customer_a.requirements,
                actor=manager,
                report_recipients="ok@example.com, not-an-address",
            )
        assert "not-an-address" in str(caught.value.message_dict["report_recipients"])
        assert CustomerRequirements.objects.get(customer=customer_a).report_recipients == ""

    @pytest.mark.parametrize("types", [[], ["application/x-msdownload"]])
    def test_empty_or_unknown_type_list_is_refused(self, manager, customer_a, types):
        with pytest.raises(ValidationError) as caught:
            services.requirements_update(
                requirements=customer_a.requirements, actor=manager, allowed_attachment_types=types
            )
        assert "allowed_attachment_types" in caught.value.message_dict
        stored = CustomerRequirements.objects.get(customer=customer_a)
        assert stored.allowed_attachment_types == defaults.ALLOWED_ATTACHMENT_TYPES

    def test_deadline_out_of_range_is_refused(self, manager, customer_a):
        with pytest.raises(ValidationError) as caught:
            services.requirements_update(
                requirements=customer_a.requirements, actor=manager, d3_days=0
            )
        assert "d3_days" in caught.value.message_dict


class TestContactsAndHolidays:
    def test_contact_create_and_update(self, manager, customer_a):
        contact = services.contact_create(
            customer=customer_a, actor=manager, name="Jana Novak", email="jana@example.com"
        )
        services.contact_update(contact=contact, actor=manager, function="SQE")
        assert Contact.objects.get(pk=contact.pk).function == "SQE"

    def test_contact_with_bad_email_is_refused(self, manager, customer_a):
        with pytest.raises(ValidationError) as caught:
            services.contact_create(customer=customer_a, actor=manager, name="X", email="nope")
        assert "email" in caught.value.message_dict
        assert not Contact.objects.exists()

    def test_holidays_feed_the_deadline_calendar(self, manager, customer_a, customer_b):
        day = dt.date(2026, 12, 24)
        services.holiday_add(customer=customer_a, date=day, name="Christmas Eve", actor=manager)
        assert holidays_for(customer_a) == {day}
        assert holidays_for(customer_a.pk) == {day}
        assert holidays_for(customer_b) == set()

    def test_same_day_twice_is_refused(self, manager, customer_a):
        day = dt.date(2026, 5, 1)
        services.holiday_add(customer=customer_a, date=day, name="Labour Day", actor=manager)
        with pytest.raises(ValidationError):
            services.holiday_add(customer=customer_a, date=day, name="Again", actor=manager)
        assert Holiday.objects.filter(customer=customer_a).count() == 1

    def test_holiday_remove_deletes_and_keeps_history(self, manager, customer_a):
        holiday = services.holiday_add(
            customer=customer_a, date=dt.date(2026, 10, 3), name="Unity Day", actor=manager
        )
        services.holiday_remove(holiday=holiday, actor=manager)
        assert not Holiday.objects.exists()
        assert Holiday.history.filter(history_type="-").get().history_user == manager

    def test_engineer_may_not_change_holidays(self, engineer, customer_a):
        with pytest.raises(PermissionDenied):
            services.holiday_add(
                customer=customer_a, date=dt.date(2026, 1, 1), name="New Year", actor=engineer
            )


class TestPlantsAndParts:
    def test_plant_create_and_update(self, manager):
        plant = services.plant_create(actor=manager, code="BRNO", name="Brno machining")
        services.plant_update(plant=plant, actor=manager, city="Brno")
        assert Plant.objects.get(code="BRNO").city == "Brno"

    def test_plant_code_is_validated(self, manager):
        with pytest.raises(ValidationError) as caught:
            services.plant_create(actor=manager, code="x", name="Tiny")
        assert "code" in caught.value.message_dict

    def _fields(self, customer, plant, **extra):
        return {
            "part_number": "4711",
            "customer_part_number": "AB-1",
            "revision": "A",
            "description": "Bracket",
            "customer": customer,
            "plant": plant,
            **extra,
        }

    def test_engineer_creates_a_part(self, engineer, customer_a):
        part = services.part_create(actor=engineer, **self._fields(customer_a, PlantFactory()))
        assert Part.objects.get(pk=part.pk).history.first().history_user == engineer

    def test_duplicate_number_and_revision_is_refused(self, engineer, customer_a, customer_b):
        plant = PlantFactory()
        services.part_create(actor=engineer, **self._fields(customer_a, plant))
        with pytest.raises(ValidationError):
            services.part_create(
                actor=engineer, **self._fields(customer_b, plant, customer_part_number="Z")
            )
        assert Part.objects.count() == 1

    def test_customer_part_number_is_unique_per_customer_ignoring_case(
        self, engineer, customer_a, customer_b
    ):
        plant = PlantFactory()
        services.part_create(actor=engineer, **self._fields(customer_a, plant))
        with pytest.raises(ValidationError) as caught:
            services.part_create(
                actor=engineer,
                **self._fields(customer_a, plant, part_number="4712", customer_part_number="ab-1"),
            )
        assert "already has a part" in str(caught.value)
        # Another customer may use the same number.
        services.part_create(actor=engineer, **self._fields(customer_b, plant, part_number="4713"))

    def test_active_range_must_not_be_reversed(self, engineer, customer_a):
        with pytest.raises(ValidationError):
            services.part_create(
                actor=engineer,
                **self._fields(
                    customer_a,
                    PlantFactory(),
                    active_from=dt.date(2026, 5, 1),
                    active_to=dt.date(2026, 4, 1),
                ),
            )
        assert not Part.objects.exists()

    def test_inactive_customer_gets_no_new_parts(self, engineer, manager, customer_a):
        services.customer_update(customer=customer_a, actor=manager, is_active=False)
        customer_a.refresh_from_db()
        with pytest.raises(ValidationError) as caught:
            services.part_create(actor=engineer, **self._fields(customer_a, PlantFactory()))
        assert "customer" in caught.value.message_dict

    def test_existing_part_of_an_inactive_customer_stays_editable(
        self, engineer, manager, customer_a
    ):
        part = PartFactory(customer=customer_a)
        services.customer_update(customer=customer_a, actor=manager, is_active=False)
        services.part_update(part=part, actor=engineer, description="Renamed")
        assert Part.objects.get(pk=part.pk).description == "Renamed"

    def test_customer_user_may_not_write_parts(self, user_a, customer_a):
        with pytest.raises(PermissionDenied):
            services.part_create(actor=user_a, **self._fields(customer_a, PlantFactory()))
