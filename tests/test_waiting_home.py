"""Whose turn it is on the home pages: "waiting for us", "waiting for my signature", "for you".

Every item is a deep link to a record the viewer may open; every count and card opens its list
filtered to exactly the rows it counts; customer B sees nothing of customer A's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit
from changes.models import ChangeApprover, ChangeRequest
from core.waiting import Party, waiting_filter
from ppap.models import PpapSubmission, Warrant

from . import waiting_records as records
from .waiting_records import BUILDERS, People

pytestmark = pytest.mark.django_db

# What a customer has to do: one kind of item per kind of record.
CUSTOMER_KINDS = {
    "step",
    "claim",
    "costs",
    "change",
    "deviation",
    "ppap",
    "finding",
    "special_status",
}


@pytest.fixture
def people(customer_a, user_a, engineer):
    return People(customer_a, user_a, engineer)


@pytest.fixture
def everything(people):
    """Every module's records in every status, for customer A."""
    return {model: build(people) for model, (build, _final) in BUILDERS.items()}


def _home(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def test_the_customer_gets_a_deep_link_to_everything_that_waits_for_them(
    everything, client_for, user_a
):
    client = client_for(user_a)
    response = _home(client)
    items = response.context["waiting"].for_customer

    assert {item.key for item in items} == CUSTOMER_KINDS
    expected = sum(
        waiting_filter(model.objects.visible_to(user_a), Party.CUSTOMER).count()
        for model in BUILDERS
    )
    assert len(items) == expected
    html = response.content.decode()
    assert 'id="waiting-for-you"' in html
    for item in items:
        assert f'href="{item.url}"' in html
        assert item.action and item.title
        assert client.get(item.url).status_code == 200, item.url


def test_another_customer_sees_none_of_it_and_cannot_open_it(
    everything, client_for, user_a, user_b
):
    items_of_a = _home(client_for(user_a)).context["waiting"].for_customer
    client = client_for(user_b)

    response = _home(client)

    assert response.context["waiting"].for_customer == []
    assert "Nothing waits for your decision right now." in response.content.decode()
    for item in items_of_a:
        assert client.get(item.url).status_code == 404, item.url


def test_the_customers_cards_open_their_list_filtered_to_exactly_what_they_count(
    everything, client_for, user_a
):
    client = client_for(user_a)
    keys = {
        "open_claims",
        "steps_to_approve",
        "change_notices_to_decide",
        "deviations_to_decide",
        "ppap_to_decide",
        "findings_to_confirm",
    }
    cards = [card for card in _home(client).context["cards"] if card.key in keys]

    assert {card.key for card in cards} == keys
    for card in cards:
        assert card.value and card.url, card.key
        rows = client.get(card.url).context["page_obj"].object_list
        assert len(rows) == card.value, card.key


def test_staff_see_per_module_how_much_waits_for_us_linking_to_the_filtered_lists(
    everything, client_for, engineer
):
    client = client_for(engineer)
    response = _home(client)
    lines = response.context["waiting"].for_us

    assert {line.key for line in lines} == {
        "claims",
        "changes",
        "deviations",
        "ppap",
        "audits",
        "findings",
        "special_status",
    }
    for line in lines:
        assert "waiting=us" in line.url
        rows = client.get(line.url).context["page_obj"].object_list
        assert len(rows) == line.count, line.key
    assert 'id="waiting-for-us"' in response.content.decode()


# --- waiting for my signature --------------------------------------------------------------------


@pytest.fixture
def signatures(people, manager):
    """One of each approval we sign: a board seat, an ECN release, a PSW, an audit report."""
    at_board = records.change(people, ChangeRequest.Status.REVIEW_BOARD)
    ChangeApprover.objects.create(
        change=at_board, customer=people.customer, function="quality", user=manager
    )
    signed = records.change(people, ChangeRequest.Status.REVIEW_BOARD)
    ChangeApprover.objects.create(
        change=signed,
        customer=people.customer,
        function="quality",
        user=manager,
        approved_at=signed.created_at,
    )
    return {
        "board": at_board,
        "release": records.change(people, ChangeRequest.Status.APPROVED),
        "psw": _complete_unsigned_warrant(people).submission,
        "report": records.audit(people, Audit.Status.REPORT_DRAFT),
        # Not to sign: a PSW still missing fields, a report not yet drafted.
        "incomplete": records.submission(people, PpapSubmission.Status.DRAFT),
        "conducted": records.audit(people, Audit.Status.IN_PROGRESS),
    }


def _complete_unsigned_warrant(people) -> Warrant:
    warrant = records.submission(people, PpapSubmission.Status.DRAFT).warrant
    for name in Warrant.REQUIRED_FIELDS:
        field = Warrant._meta.get_field(name)
        value = {"DateField": records.TODAY, "DecimalField": 1}.get(field.get_internal_type())
        if field.choices:
            value = field.choices[0][0]
        elif value is None:
            value = 1 if "Integer" in field.get_internal_type() else "x"
        setattr(warrant, name, value)
    warrant.save()
    assert warrant.missing_fields() == []
    return warrant


def test_a_manager_is_asked_for_every_signature_that_is_theirs_now(signatures, client_for, manager):
    client = client_for(manager)
    response = _home(client)
    items = response.context["waiting"].my_signature

    by_key = {item.key: item for item in items}
    assert sorted(item.key for item in items) == ["board", "psw", "release", "report"]
    assert by_key["board"].url == f"{signatures['board'].get_absolute_url()}#board"
    assert by_key["release"].url == signatures["release"].get_absolute_url()
    assert by_key["psw"].url == f"{signatures['psw'].get_absolute_url()}#warrant"
    assert by_key["report"].url == signatures["report"].get_absolute_url()
    html = response.content.decode()
    for item in items:
        assert f'href="{item.url}"' in html
        assert client.get(item.url).status_code == 200


def test_an_engineer_signs_only_where_named_and_holds_no_manager_signature(
    signatures, client_for, engineer, people
):
    ChangeApprover.objects.create(
        change=signatures["board"], customer=people.customer, function="production", user=engineer
    )

    items = _home(client_for(engineer)).context["waiting"].my_signature

    assert [item.key for item in items] == ["board"]
    assert "as Production" in items[0].action


def test_customers_get_no_signature_or_staff_section(signatures, client_for, user_a):
    response = _home(client_for(user_a))

    assert response.context["waiting"].my_signature == []
    assert response.context["waiting"].for_us == []
    assert 'id="waiting-for-signature"' not in response.content.decode()


@pytest.mark.parametrize("viewer", ["user_a", "manager"])
def test_the_home_page_costs_no_query_per_record_waiting(request, people, viewer, client_for):
    user = request.getfixturevalue(viewer)
    for _model, (build, _final) in BUILDERS.items():
        build(people)
    client = client_for(user)
    _home(client)  # the first request of a session reads what later ones find in their caches
    few = _queries(client)

    for _model, (build, _final) in BUILDERS.items():
        build(people)

    assert _queries(client) == few


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _home(client)
    return len(queries)
