"""Kinds of notification registered for these tests only (and removed after each test)."""

import pytest
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.tests.factories import CustomerUserFactory, UserFactory
from notifications import kinds
from notifications.kinds import Audience, Delivery, Kind

INTERNAL = "tests.internal"
CUSTOMER = "tests.customer"
ANYONE = "tests.anyone"
DIGEST = "tests.digest"
SAFETY = "tests.safety"

TEST_KINDS = (
    Kind(INTERNAL, "Internal test kind", audience=Audience.INTERNAL, group="Tests"),
    Kind(CUSTOMER, "Customer test kind", audience=Audience.CUSTOMER, group="Tests"),
    Kind(ANYONE, "Anyone test kind", group="Tests"),
    Kind(DIGEST, "Digest test kind", default_delivery=Delivery.DIGEST, group="Tests"),
    Kind(SAFETY, "Safety test kind", mandatory=True, group="Safety"),
)


@pytest.fixture(autouse=True)
def test_kinds():
    saved = dict(kinds._kinds)
    kinds.register(*TEST_KINDS)
    yield TEST_KINDS
    kinds._kinds.clear()
    kinds._kinds.update(saved)


@pytest.fixture
def german_engineer(db):
    return UserFactory(
        email="ingenieur@example.com", full_name="Ina Ingenieur", role=Role.ENGINEER, language="de"
    )


@pytest.fixture
def user_a2(customer_a):
    return CustomerUserFactory(email="buyer@autowerk.example", customer=customer_a)


@pytest.fixture
def title():
    from notifications.services import Text

    # A message the German catalogue translates ("%(number)s angelegt.").
    return Text(_("%(number)s created."), number="CL-2026-00042")
