"""Whose turn it is on the pages: the banner on every record's page, the lists' column and filter.

The lists' filter picks exactly the rows whose own banner names that party, and neither the
column nor the filter costs a query per row.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audits.models import Audit, Finding
from changes.models import ChangeRequest, Deviation
from claims.models import Claim, ClaimCostSheet, EightDStep
from core import waiting
from core.waiting import Party, waiting_for
from ppap.models import PpapSubmission

from . import waiting_records as records
from .waiting_records import People

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(customer_a, user_a, engineer):
    return People(customer_a, user_a, engineer)


# --- the banner at the top of every record's page ------------------------------------------------


def _claim_with_step(people):
    claim = records.claim(people, Claim.Status.CONTAINMENT)
    step = EightDStep.objects.create(
        claim=claim, customer=claim.customer, code="D3", status=EightDStep.Status.SUBMITTED
    )
    return claim, step


PAGES = {
    "claim": lambda p: reverse(
        "claims:claim-detail", args=[records.claim(p, Claim.Status.SUBMITTED).pk]
    ),
    "step": lambda p: reverse("claims:eightd-step", args=[_claim_with_step(p)[0].pk, "D3"]),
    "costs": lambda p: reverse("claims:cost-card", args=[records.cost_sheets(p)[1].claim_id]),
    "change": lambda p: reverse(
        "changes:change-detail", args=[records.change(p, ChangeRequest.Status.REVIEW_BOARD).pk]
    ),
    "deviation": lambda p: reverse(
        "changes:deviation-detail", args=[records.deviation(p, Deviation.Status.REQUESTED).pk]
    ),
    "ppap": lambda p: reverse(
        "ppap:submission-detail", args=[records.submission(p, PpapSubmission.Status.DRAFT).pk]
    ),
    "audit": lambda p: reverse(
        "audits:audit-detail", args=[records.audit(p, Audit.Status.REPORT_DRAFT).pk]
    ),
    "finding": lambda p: reverse("audits:finding-detail", args=[_submitted_finding(p).pk]),
}
# Who the banner names on each page: the party, the person or role, the action.
FILER = object()  # the customer's user who filed the claim
EXPECTED = {
    "claim": ("our team", "Erika Engineer", "acknowledge the claim"),
    "step": ("the customer", FILER, "approve D3"),
    "costs": ("the customer", FILER, "accept or dispute the costs"),
    "change": ("our team", "the review board", "sign or decide (review board)"),
    "deviation": ("the customer", "Autowerk AG", "approve or reject the deviation"),
    "ppap": ("our team", "Erika Engineer", "prepare and submit the PPAP"),
    "audit": ("our team", "quality managers", "approve the report"),
    "finding": ("the customer", "Autowerk AG", "confirm the closure"),
}


def _submitted_finding(people):
    audit = records.audit(people, Audit.Status.IN_PROGRESS, customer_audit=True)
    return Finding.objects.create(
        audit=audit,
        customer=people.customer,
        position=1,
        classification=Finding.Classification.MINOR,
        description="Label missing",
        status=Finding.Status.SUBMITTED,
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_of_a_record_says_whose_turn_it_is_at_the_top(page, people, client_for, engineer):
    url = PAGES[page](people)

    html = client_for(engineer).get(url).content.decode()

    party, who, action = EXPECTED[page]
    who = people.customer_user.full_name if who is FILER else who
    assert 'data-waiting="' in html, page
    banner = html.split('data-waiting="', 1)[1].split("</div>", 1)[0]
    assert f"Waiting for: {party} (" in banner and who in banner and action in banner, banner


def test_the_banner_shows_since_and_the_due_date_unambiguously_and_as_a_traffic_light(
    people, client_for, engineer
):
    submission = records.submission(people, PpapSubmission.Status.DRAFT)  # due 7 Dec 2026

    html = client_for(engineer).get(submission.get_absolute_url()).content.decode()

    banner = html.split('data-waiting="', 1)[1].split("</div>", 1)[0]
    assert "since " in banner
    assert "due-badge" in banner and "7 Dec 2026" in banner


def test_the_banner_speaks_german(people, client, engineer):
    engineer.language = "de"
    engineer.save(update_fields=["language"])
    client.force_login(engineer)
    submission = records.submission(people, PpapSubmission.Status.DRAFT)

    html = client.get(submission.get_absolute_url()).content.decode()

    banner = html.split('data-waiting="', 1)[1].split("</div>", 1)[0]
    assert "Wartet auf: unser Team (Erika Engineer)" in banner
    assert "07.12.2026" in banner


def test_nobody_to_wait_for_shows_no_banner(people, client_for, engineer):
    closed = records.claim(people, Claim.Status.CLOSED)

    html = client_for(engineer).get(closed.get_absolute_url()).content.decode()

    assert 'data-waiting="' not in html


def test_the_claim_page_shows_each_steps_turn_and_the_customer_sees_theirs(people, client_for):
    claim, _step = _claim_with_step(people)

    html = client_for(people.customer_user).get(claim.get_absolute_url()).content.decode()

    step_row = html.split('id="step-D3"', 1)[1].split("</tr>", 1)[0]
    assert "waiting-badge waiting-customer" in step_row


# --- the lists: a "Waiting for" column and ?waiting=us|customer ----------------------------------

LISTS = {
    "claims:claim-list": (Claim, records.claims),
    "changes:change-list": (ChangeRequest, records.changes),
    "changes:deviation-list": (Deviation, records.deviations),
    "ppap:submission-list": (PpapSubmission, records.submissions),
    "audits:finding-list": (Finding, records.findings),
    "audits:audit-list": (Audit, records.audits),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_the_list_filter_gives_exactly_the_rows_waiting_for_that_party(
    name, people, client_for, engineer
):
    model, build = LISTS[name]
    built = build(people)
    client = client_for(engineer)

    for party in Party.values:
        response = client.get(reverse(name), {"waiting": party})
        shown = {row.pk for row in response.context["page_obj"].object_list}
        fresh = model.objects.filter(pk__in=[record.pk for record in built])
        expected = {row.pk for row in fresh if (w := waiting_for(row)) and w.party == party}
        assert shown == expected, (name, party)
        if waiting.table_for(model).condition(party) is None:
            continue  # e.g. audits never wait for the customer
        html = response.content.decode()
        assert expected and "Waiting for</th>" in html, (name, party)
        assert f"waiting-badge waiting-{party}" in html


@pytest.mark.parametrize("name", list(LISTS))
def test_the_filter_offers_both_parties_with_their_labels(name, client_for, engineer):
    html = client_for(engineer).get(reverse(name)).content.decode()

    assert '<option value="us">Waiting for us</option>' in html
    assert '<option value="customer">Waiting for the customer</option>' in html


def test_the_customer_filters_their_own_list_too(people, client_for, user_b, customer_b):
    records.changes(people)
    other = People(customer_b, user_b, people.engineer)
    records.change(other, ChangeRequest.Status.CUSTOMER_APPROVAL)

    response = client_for(people.customer_user).get(
        reverse("changes:change-list"), {"waiting": "customer"}
    )

    rows = list(response.context["page_obj"].object_list)
    assert [row.customer_id for row in rows] == [people.customer.pk]
    assert rows[0].status == ChangeRequest.Status.CUSTOMER_APPROVAL


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("party", ["", "us", "customer"])
def test_the_waiting_column_and_filter_cost_no_query_per_row(
    name, party, people, client_for, engineer, user_a
):
    _model, build = LISTS[name]
    url = f"{reverse(name)}?waiting={party}"
    build(people)
    for viewer in (engineer, user_a):
        _queries(client_for(viewer), url)  # what the rows do not show stays cached from here
    build(people)
    few = {viewer: _queries(client_for(viewer), url) for viewer in (engineer, user_a)}

    for _more in range(2):
        build(people)

    assert {viewer: _queries(client_for(viewer), url) for viewer in (engineer, user_a)} == few


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        assert client.get(url).status_code == 200
    return len(queries)


def test_cost_sheet_banner_is_computed_from_the_released_sheet(people):
    sheet = ClaimCostSheet.objects.select_related("claim").get(pk=records.cost_sheets(people)[1].pk)

    assert waiting_for(sheet).party == Party.CUSTOMER


def test_a_customer_reads_which_of_our_teams_acts_not_who_of_us(people, client_for, engineer):
    audit = records.audit(people, Audit.Status.IN_PROGRESS, customer_audit=True)

    staff = client_for(engineer).get(audit.get_absolute_url()).content.decode()
    customer = client_for(people.customer_user).get(audit.get_absolute_url()).content.decode()

    assert "Waiting for: our team (Erika Engineer)" in staff
    assert "Waiting for: our team (quality engineers)" in customer
    assert "Erika Engineer" not in customer
