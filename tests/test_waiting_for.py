"""Whose turn it is (core.waiting): the lists' filter and the records' own answer agree.

For every module and every status of its workflow (and every variant its table tells apart),
``waiting_filter(…, party)`` returns exactly the records whose ``waiting_for(record).party`` is
that party, and every status that is not final names somebody.
"""

import datetime as dt

import pytest
from django.db.models import Q

from core import waiting
from core.waiting import Party, Turn, WaitingTable, read, waiting_filter, waiting_for

from .waiting_records import BUILDERS, People

pytestmark = pytest.mark.django_db

MODELS = list(BUILDERS)


@pytest.fixture
def people(customer_a, user_a, engineer):
    return People(customer_a, user_a, engineer)


def test_every_workflow_model_has_a_table_and_nothing_else_has_one():
    assert {table.model for table in waiting.tables()} == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_filter_gives_exactly_the_records_whose_turn_says_so(model, people):
    build, _final = BUILDERS[model]
    records = build(people)
    ids = [record.pk for record in records]
    # As a list reads them (its joins), then as a page reads one: both answers must match.
    fresh = {record.pk: record for record in model.objects.filter(pk__in=ids)}

    for party in Party.values:
        expected = {pk for pk, record in fresh.items() if _party(record) == party}
        filtered = waiting_filter(model.objects.filter(pk__in=ids), party)
        assert set(filtered.values_list("pk", flat=True)) == expected, party
    assert {record.status for record in records} == _statuses(model)  # every status was built


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_status_but_the_final_ones_says_whose_turn_it_is(model, people):
    build, final = BUILDERS[model]
    table = waiting.table_for(model)

    assert set(table.statuses) == _statuses(model) - {str(status) for status in final}
    for record in build(people):
        record.refresh_from_db()
        turn = waiting_for(record)
        if record.status in final:
            assert turn is None, record.status
        elif turn is not None:
            assert turn.who and turn.action, record.status


def _statuses(model) -> set[str]:
    return {value for value, _label in model._meta.get_field("status").choices}


def _party(record) -> str | None:
    turn = waiting_for(record)
    return turn.party if turn else None


# --- the kernel on its own -----------------------------------------------------------------------


class _Record:
    """A stand-in record: attributes only, like a model instance the kernel reads."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def test_rows_of_one_status_are_tried_in_order_and_the_first_that_holds_wins():
    owner = _Record(role="customer", full_name="Quinn Quality")
    first = Turn(
        "draft", Party.CUSTOMER, lambda r: "filer", "submit", when={"owner__role": "customer"}
    )
    second = Turn("draft", Party.US, lambda r: "us", "submit")
    table = _table([first, second])

    assert table.turn_of(_Record(status="draft", owner=owner)) is first
    assert table.turn_of(_Record(status="draft", owner=_Record(role="engineer"))) is second
    assert table.turn_of(_Record(status="closed", owner=owner)) is None


def test_the_condition_of_a_later_row_excludes_what_an_earlier_row_took():
    first = Turn("draft", Party.CUSTOMER, str, "a", when={"owner__role": "customer"})
    second = Turn("draft", Party.US, str, "b")
    table = _table([first, second, Turn("open", Party.US, str, "c")])

    assert table.condition(Party.US) == Q(status__in=["open"]) | (
        Q(status="draft") & Q() & ~Q(owner__role="customer")
    )
    assert table.condition(Party.CUSTOMER) == Q(status="draft") & Q(owner__role="customer")


def test_a_row_behind_one_without_conditions_is_never_reached():
    table = _table([Turn("draft", Party.US, str, "a"), Turn("draft", Party.CUSTOMER, str, "b")])

    assert table.condition(Party.CUSTOMER) is None


def test_lookups_read_paths_operators_and_missing_names_as_the_database_would():
    record = _Record(status="x", claim=_Record(status="open", engineer=None), flag=True)

    assert read(record, "claim__status") == "open"
    assert read(record, "claim__engineer__full_name") is None
    assert read(record, "not_annotated") is None
    assert read(record, "") is None
    table = _table(
        [
            Turn(
                "x",
                Party.US,
                str,
                "a",
                when={"claim__status__in": ["open"], "flag": True, "claim__engineer__isnull": True},
            )
        ]
    )
    assert table.turn_of(record) is not None


def test_the_answer_names_party_who_since_due_and_action():
    since = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    turn = Turn(
        "open",
        Party.CUSTOMER,
        lambda record: record.who,
        lambda record: f"approve {record.code}",
        since="sent",
        due="due",
    )
    record = _Record(
        status="open", who="Quinn Quality", code="D3", sent=since, due=dt.date(2026, 12, 9)
    )

    answer = _table([turn]).waiting_for(record)

    assert (answer.party, answer.who, answer.action) == ("customer", "Quinn Quality", "approve D3")
    assert (answer.since, answer.due) == (since, dt.date(2026, 12, 9))
    assert answer.label == "Waiting for: the customer (Quinn Quality)"


def _table(turns) -> WaitingTable:
    return WaitingTable(None, turns, register=False)  # the registry keeps the apps' tables
