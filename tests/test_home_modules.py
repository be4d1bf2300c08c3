"""Home cards of changes, deviations and PPAP: what waits for the customer, and only theirs."""

import pytest

from changes.deviations.tests.factories import requested_deviation
from changes.tests.factories import raise_change, to_customer_approval
from customers.tests.factories import PartFactory
from ppap.tests.factories import sent

pytestmark = pytest.mark.django_db


def _cards(client) -> dict:
    response = client.get("/")
    assert response.status_code == 200
    return {card.key: card for card in response.context["cards"]}


def test_customer_sees_what_waits_for_their_decision(
    client_for, engineer, manager, customer_a, user_a
):
    change = raise_change(actor=engineer, customer=customer_a)
    to_customer_approval(change, engineer=engineer, manager=manager)
    requested_deviation(actor=engineer, customer=customer_a)
    sent(engineer, manager, part=PartFactory(customer=customer_a))

    cards = _cards(client_for(user_a))

    for key in ("change_notices_to_decide", "deviations_to_decide", "ppap_to_decide"):
        assert cards[key].value == 1 and cards[key].alert, key
        assert cards[key].url


def test_another_customer_sees_none_of_it(client_for, engineer, manager, customer_a, user_b):
    change = raise_change(actor=engineer, customer=customer_a)
    to_customer_approval(change, engineer=engineer, manager=manager)
    requested_deviation(actor=engineer, customer=customer_a)
    sent(engineer, manager, part=PartFactory(customer=customer_a))

    cards = _cards(client_for(user_b))

    assert not {"change_notices_to_decide", "deviations_to_decide", "ppap_to_decide"} & set(cards)


def test_staff_see_open_changes(client_for, engineer, customer_a):
    raise_change(actor=engineer, customer=customer_a)

    assert _cards(client_for(engineer))["open_changes"].value == 1
