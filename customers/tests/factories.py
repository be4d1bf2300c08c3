import factory

from customers.models import Customer, Part, Plant
from customers.services import customer_create


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n} GmbH")
    code = factory.Sequence(lambda n: f"CUST{n:03d}")
    supplier_number = factory.Sequence(lambda n: f"S-{n:05d}")
    city = "Stuttgart"
    country = "Germany"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return customer_create(**kwargs)


class PlantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plant
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PL{n:02d}")
    name = factory.Sequence(lambda n: f"Plant {n}")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    part_number = factory.Sequence(lambda n: f"P-{n:06d}")
    customer_part_number = factory.Sequence(lambda n: f"C-{n:06d}")
    revision = "A"
    description = factory.Sequence(lambda n: f"Bracket {n}")
    customer = factory.SubFactory(CustomerFactory)
    plant = factory.SubFactory(PlantFactory)
    commodity = "Stamping"
