import factory

from accounts.models import User
from accounts.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = Role.ENGINEER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CustomerUserFactory(UserFactory):
    role = Role.CUSTOMER
    customer = factory.SubFactory("customers.tests.factories.CustomerFactory")
