"""The CSV exports read plain values, yet write exactly what the per-record exports wrote.

``reference_rows`` below is the export as it was when each row was built from a model instance
(``claim.get_status_display()``, ``change.parts.all()``, ``str(deviation.owner)``): every export
of the demo world, through the page and the API, for our staff and a customer user, in English
and German, must equal it byte for byte. The other tests pin what makes a long export cheap: one
query per chunk of rows, nothing read before the file is written, and rows read from the
database a chunk at a time rather than gathered into a list first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from changes import selectors as change_selectors
from changes.deviations import selectors as deviation_selectors
from changes.deviations.exports import deviations_csv_response
from changes.exports import changes_csv_response
from changes.models import AffectedPart, ChangeRequest, Deviation
from claims import selectors as claim_selectors
from claims.exports import claims_csv_response
from claims.models import Claim
from core import csvexport
from customers.models import Part
from tests.test_demo import demo_world, everything  # noqa: F401 (fixtures: the demo world)

ENGINEER = "engineer@demo.example"
CUSTOMER_USER = "quality@autowerk.example"
# One per demo customer: Berlin, Detroit and Madrid, each seeing other records.
CUSTOMER_USERS = (CUSTOMER_USER, "quality@brenner.example", "quality@caldera.example")
LANGUAGES = ("en", "de")


# --- the reference: the exports as they were, one model instance per row -----------------------


def _reference_claim_header(internal: bool) -> list[str]:
    return [
        _("Number"),
        _("Status"),
        _("Customer"),
        _("Part number"),
        _("Customer part number"),
        _("Revision"),
        _("Kind"),
        _("Severity"),
        _("Customer reference"),
        _("Detection location"),
        _("Detection date"),
        _("Notified at"),
        _("Suspect quantity"),
        _("Nonconforming quantity"),
        _("Quantity charged to ppm"),
        _("Assigned engineer"),
        _("Next due step"),
        _("Next step due at"),
        _("Closed at"),
    ]


def _reference_claim_row(claim, internal: bool) -> list:
    zone = ZoneInfo(claim.customer.time_zone)
    return [
        claim.number,
        claim.get_status_display(),
        claim.customer.name,
        claim.part.part_number,
        claim.part.customer_part_number,
        claim.part_revision,
        claim.get_kind_display(),
        claim.get_severity_display(),
        claim.customer_reference,
        claim.get_detection_location_display(),
        claim.detection_date.isoformat() if claim.detection_date else "",
        csvexport.local_iso(claim.notified_at, zone),
        claim.suspect_qty,
        claim.nonconforming_qty,
        claim.ppm_qty,
        str(claim.assigned_engineer) if claim.assigned_engineer else "",
        getattr(claim, "next_due_code", None) or "",
        csvexport.local_iso(getattr(claim, "next_due_at", None), zone),
        csvexport.local_iso(claim.closed_at, zone),
    ]


def _reference_change_header(internal: bool) -> list[str]:
    columns = [
        _("Number"),
        _("Status"),
        _("Customer"),
        _("Title"),
        _("Type"),
        _("Origin"),
        _("Affected parts"),
        _("Customer approval required"),
        _("Customer decision"),
        _("PPAP required"),
        _("PPAP level"),
        _("PSW reason"),
        _("Effectivity date"),
        _("Break point"),
        _("Implemented on"),
        _("Created"),
    ]
    return [*columns, _("Cost"), _("Currency")] if internal else columns


def _reference_change_row(change, internal: bool) -> list:
    row = [
        change.number,
        change.get_status_display(),
        change.customer.name,
        change.title,
        change.get_change_type_display(),
        change.get_origin_display(),
        " ".join(
            f"{row.part.part_number} {row.current_revision}>{row.new_revision}"
            for row in change.parts.all()
        ),
        _("yes") if change.customer_approval_required else _("no"),
        change.get_customer_decision_display() if change.customer_decision else "",
        _("yes") if change.ppap_required else _("no"),
        change.ppap_level or "",
        change.get_psw_reason_display() if change.psw_reason else "",
        change.effectivity_date.isoformat() if change.effectivity_date else "",
        change.break_point,
        change.implemented_on.isoformat() if change.implemented_on else "",
        timezone.localtime(change.created_at).date().isoformat(),
    ]
    if internal:
        row += [change.cost_amount if change.cost_amount is not None else "", change.cost_currency]
    return row


def _reference_deviation_header(internal: bool) -> list[str]:
    return [
        _("Number"),
        _("Kind"),
        _("Status"),
        _("Customer"),
        _("Title"),
        _("Part numbers"),
        _("Lots / batches"),
        _("Quantity cap"),
        _("Quantity shipped"),
        _("Expiry date"),
        _("Customer authorisation number"),
        _("Originating claim"),
        _("Owner"),
        _("Requested at"),
        _("Decided at"),
    ]


def _reference_deviation_row(deviation, internal: bool) -> list:
    zone = deviation.customer_zone
    return [
        deviation.number,
        deviation.get_kind_display(),
        deviation.get_status_display(),
        deviation.customer.name,
        deviation.title,
        " ".join(part.part_number for part in deviation.parts.all()),
        " ".join(deviation.lot_list),
        "" if deviation.quantity_cap is None else deviation.quantity_cap,
        deviation.quantity_shipped,
        deviation.expires_on.isoformat() if deviation.expires_on else "",
        deviation.customer_authorisation,
        deviation.originating_claim.number if deviation.originating_claim_id else "",
        str(deviation.owner),
        csvexport.local_iso(deviation.requested_at, zone),
        csvexport.local_iso(deviation.decided_at, zone),
    ]


# name: (page URL name, API URL, the list's records, reference header, reference row)
EXPORTS: dict[str, tuple[str, str, Callable, Callable, Callable]] = {
    "claims": (
        "claims:claim-export",
        "/api/v1/claims/export/",
        claim_selectors.claims_for_list,
        _reference_claim_header,
        _reference_claim_row,
    ),
    "changes": (
        "changes:change-export",
        "/api/v1/changes/export/",
        change_selectors.changes_for_list,
        _reference_change_header,
        _reference_change_row,
    ),
    "deviations": (
        "changes:deviation-export",
        "/api/v1/deviations/export/",
        deviation_selectors.deviations_for_list,
        _reference_deviation_header,
        _reference_deviation_row,
    ),
}


def reference_rows(export: str, user: User) -> tuple[list[str], list[list]]:
    """The header and rows the per-record export wrote for ``user``, in the active language."""
    _page, _api, records, header, row = EXPORTS[export]
    internal = user.is_internal
    return header(internal), [row(record, internal) for record in records(user)]


def reference_file(export: str, user: User, language: str) -> bytes:
    """The whole file, as the per-record export wrote it in ``language`` and ``user``'s zone."""
    with translation.override(language), timezone.override(ZoneInfo(user.time_zone)):
        header, rows = reference_rows(export, user)
        return b"".join(line.encode("utf-8") for line in csvexport.csv_lines(header, rows))


def _downloaded(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming, "an export is streamed, not built in memory"
    return b"".join(response.streaming_content)


def _speaking(email: str, language: str) -> User:
    user = User.objects.get(email=email)
    user.language = language  # the signed-in user's language wins over the browser's
    user.save(update_fields=["language"])
    return user


# --- the same file as before ----------------------------------------------------------------------


@pytest.fixture
def varied_demo(everything):  # noqa: F811 (the fixture imported above)
    """The demo world with the cells it leaves uniform made to differ, and text a spreadsheet
    would run as a formula (written straight to the table: only the export is under test)."""
    first, last = ChangeRequest.objects.order_by("pk")[:1].get(), ChangeRequest.objects.last()
    ChangeRequest.objects.filter(pk=first.pk).update(
        cost_amount=None if first.cost_amount is not None else Decimal("-1250.50"),
        effectivity_date=None if first.effectivity_date else dt.date(2026, 12, 7),
        title="=1+1; @SUM(A1)",
    )
    listed = first.parts.values_list("part", flat=True)
    another = Part.objects.filter(customer=first.customer).exclude(pk__in=listed).first()
    AffectedPart.objects.create(
        customer=first.customer, change=first, part=another, current_revision="B", new_revision="C"
    )
    ChangeRequest.objects.filter(pk=last.pk).update(break_point='-2 "quoted", then\nanother line')
    Claim.objects.filter(pk=Claim.objects.order_by("pk")[:1].get().pk).update(
        customer_reference='=HYPERLINK("http://x.example","open")'
    )
    deviation = Deviation.objects.order_by("pk")[:1].get()
    Deviation.objects.filter(pk=deviation.pk).update(title="+49 30 1234", lots="  L-1 \n\n=L2\n")
    # Added last, listed by part number: the register's order, not the order they were added.
    for part in Part.objects.filter(customer=deviation.customer).order_by("-part_number")[:3]:
        deviation.parts.add(part)


@pytest.mark.usefixtures("varied_demo")
class TestSameFileAsBefore:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("email", [ENGINEER, *CUSTOMER_USERS])
    @pytest.mark.parametrize("export", sorted(EXPORTS))
    def test_page_export_equals_the_per_record_export(self, client, export, email, language):
        user = _speaking(email, language)
        client.force_login(user)
        expected = reference_file(export, user, language)

        exported = _downloaded(client.get(reverse(EXPORTS[export][0])))

        assert exported.decode("utf-8").splitlines() == expected.decode("utf-8").splitlines()
        assert exported == expected

    @pytest.mark.parametrize("email", [ENGINEER, CUSTOMER_USER])
    @pytest.mark.parametrize("export", sorted(EXPORTS))
    def test_api_export_equals_the_per_record_export(self, client, export, email):
        user = _speaking(email, "de")
        client.force_login(user)

        exported = _downloaded(client.get(EXPORTS[export][1], HTTP_ACCEPT="text/csv"))

        assert exported == reference_file(export, user, "de")

    @pytest.mark.parametrize("export", sorted(EXPORTS))
    def test_the_demo_gives_every_export_rows_for_staff_and_customers(self, export):
        records = EXPORTS[export][2]
        engineer = User.objects.get(email=ENGINEER)
        customers = User.objects.filter(email__in=CUSTOMER_USERS)
        assert records(engineer).count() > 6
        assert sum(records(user).count() for user in customers) > 1

    def test_the_demo_fills_and_leaves_empty_the_optional_columns(self):
        """Both sides of every optional cell are compared above, not only one."""
        optional = {
            Claim: ("assigned_engineer", "closed_at"),
            ChangeRequest: ("customer_decision", "psw_reason", "effectivity_date", "cost_amount"),
            Deviation: ("originating_claim", "quantity_cap", "decided_at"),
        }
        one_sided = []
        for model, fields in optional.items():
            for field in fields:
                empty = Q(**{f"{field}__isnull": True})
                if model._meta.get_field(field).get_internal_type() == "CharField":
                    empty |= Q(**{field: ""})
                records = model.objects.all()
                if not (records.filter(empty).exists() and records.exclude(empty).exists()):
                    one_sided.append(f"{model.__name__}.{field}")
        assert one_sided == []
        for model in (ChangeRequest, Deviation):
            assert model.objects.annotate(n=Count("parts")).filter(n__gt=1).exists(), model

    def test_the_languages_differ_and_customers_miss_our_cost(self, client):
        files = {}
        for email in (ENGINEER, CUSTOMER_USER):
            for language in LANGUAGES:
                client.force_login(_speaking(email, language))
                response = client.get(reverse("changes:change-export"))
                files[email, language] = _downloaded(response).decode("utf-8-sig")
        header = {key: text.splitlines()[0] for key, text in files.items()}
        assert header[ENGINEER, "en"].startswith("Number,Status,Customer")
        assert header[ENGINEER, "de"] != header[ENGINEER, "en"]
        assert header[ENGINEER, "en"].endswith("Cost,Currency")
        assert "Cost" not in header[CUSTOMER_USER, "en"]


# --- cheap on a long list -------------------------------------------------------------------------


def _queries_while_reading(response, lines: int | None = None) -> tuple[int, int]:
    """The queries run while reading the first ``lines`` lines (all when None), and the lines."""
    stream = iter(response.streaming_content)
    read = 0
    with CaptureQueriesContext(connection) as queries:
        for chunk in stream:
            read += chunk.count(b"\n")
            if lines is not None and read >= lines:
                break
    return len(queries), read


def _responses(user: User) -> dict[str, Callable]:
    return {
        "claims": lambda: claims_csv_response(claim_selectors.claims_for_list(user)),
        "changes": lambda: changes_csv_response(
            change_selectors.changes_for_list(user), internal=True
        ),
        "deviations": lambda: deviations_csv_response(
            deviation_selectors.deviations_for_list(user)
        ),
    }


# Exports whose rows list several related records read those once per chunk of rows.
QUERIES_PER_CHUNK = {"claims": 0, "changes": 1, "deviations": 1}


@pytest.mark.usefixtures("everything")
class TestConstantCost:
    @pytest.mark.parametrize("export", sorted(EXPORTS))
    def test_one_query_per_chunk_not_per_row(self, monkeypatch, export):
        engineer = User.objects.get(email=ENGINEER)
        monkeypatch.setattr(csvexport, "CHUNK_SIZE", 3)
        response = _responses(engineer)[export]()

        queries, lines = _queries_while_reading(response)

        rows = lines - 1
        assert rows > 3 * 2, "several chunks"
        assert queries == 1 + QUERIES_PER_CHUNK[export] * math.ceil(rows / 3)

    @pytest.mark.parametrize("export", ["changes", "deviations"])
    def test_rows_are_read_a_chunk_at_a_time_while_the_file_is_written(self, monkeypatch, export):
        engineer = User.objects.get(email=ENGINEER)
        monkeypatch.setattr(csvexport, "CHUNK_SIZE", 3)
        response = _responses(engineer)[export]()
        stream = iter(response.streaming_content)

        with CaptureQueriesContext(connection) as header_queries:
            next(stream)
        first_chunk_queries, _lines = _queries_while_reading(_Rest(stream), 3)

        assert len(header_queries) == 0, "nothing is read before the header is written"
        assert first_chunk_queries == 1 + QUERIES_PER_CHUNK[export], "only the first chunk"

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's cursors")
    @pytest.mark.parametrize("export", sorted(EXPORTS))
    def test_the_rows_come_from_a_cursor_not_a_list(self, monkeypatch, export):
        engineer = User.objects.get(email=ENGINEER)
        monkeypatch.setattr(csvexport, "CHUNK_SIZE", 3)
        stream = iter(_responses(engineer)[export]().streaming_content)
        next(stream), next(stream)  # the header and the first row

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
            (open_cursors,) = cursor.fetchone()
        list(stream)

        assert open_cursors == 1, "the rows are fetched from the database while they are written"


class _Rest:
    """The rest of a started stream, shaped like a response for ``_queries_while_reading``."""

    def __init__(self, stream: Iterable[bytes]):
        self.streaming_content = stream
