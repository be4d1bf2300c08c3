"""The monthly report's first page: key figures against targets, changes, ppm per customer."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from claims.models import Claim
from claims.tests.factories import decided_claim
from customers.tests.factories import CustomerFactory, PartFactory
from metrics import documents
from metrics.models import Report
from metrics.summary import SUMMARY_CUSTOMERS
from metrics.targets import AMBER, GREEN, HIGHER, LOWER, RED, Target, company_target, ppm_target

from .factories import deliver

MONTH = dt.date(2026, 3, 1)
NOW = timezone.make_aware(dt.datetime(2026, 4, 2, 8))
LONG_SYMPTOM = "Burr on the flange edge " + "scratches the seal " * 30 + "END-OF-SYMPTOM"


@pytest.fixture
def month_data(customer_a, customer_b, engineer):
    """March: A ships 20,000 (3 parts 0 km), B 30,000 (6 parts field); February: A 10,000."""
    part_a, part_b = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
    deliver(part_a, dt.date(2026, 2, 2), 10_000)
    deliver(part_a, dt.date(2026, 3, 2), 20_000)
    deliver(part_b, dt.date(2026, 3, 3), 30_000)
    claim = decided_claim(part_a, dt.date(2026, 3, 5), 3, actor=engineer)
    Claim.objects.filter(pk=claim.pk).update(symptom=LONG_SYMPTOM)
    decided_claim(part_b, dt.date(2026, 3, 9), 6, actor=engineer, kind="field")
    return {"a": customer_a, "b": customer_b}


def report_pages(customer=None) -> list[str]:
    report = Report.objects.create(period=MONTH, customer=customer)
    figures = documents.report_figures(report, now=NOW)
    charts = documents.report_charts(figures)
    context = documents.report_context(report, figures, charts, generated_at=NOW)
    content = documents.render_report(context)
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def line_of(text: str, start: str) -> str:
    """The line starting with ``start``, without spaces: text extraction places them loosely."""
    line = next(line for line in text.splitlines() if line.startswith(start))
    return "".join(line.split())


def packed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
def test_first_page_is_the_summary_and_the_detail_starts_on_page_two(month_data):
    pages = report_pages()
    first, second = pages[0], pages[1]

    assert "March 2026" in first and "Summary" in first
    for figure in (
        "0 km ppm",
        "Field ppm",
        "Claims opened",
        "Claims closed",
        "8D on-time rate",
        "Mean reaction time",
        "PPAP first-time approval",
        "Open audit findings",
        "Overdue nonconformities",
        "Overdue actions",
        "Cost of poor quality",
    ):
        assert figure in first, figure
    # Company: 3 of 50,000 parts in March (60 ppm) against 0 of 10,000 in February; the target
    # is the company's 50 ppm, so amber (up to twice the target).
    assert line_of(first, "0 km ppm") == packed("0 km ppm 60.00 0.00 +60.00 ≤ 50.00 ● Amber")
    assert line_of(first, "Field ppm") == packed("Field ppm 120.00 0.00 +120.00 ≤ 10.00 ● Red")
    assert line_of(first, "Claims opened") == packed("Claims opened 2 0 +2 – no target")
    assert line_of(first, "8D on-time rate") == packed("8D on-time rate n/a n/a – ≥ 95.0 % –")

    per_customer = packed(first.split("ppm per customer", 1)[1])
    # Each customer against its own targets: A 3 of 20,000 parts, B 6 of 30,000 in the field,
    # worst (most parts charged to ppm) first.
    brenner = packed("Brenner Motors 30,000 ● 0.00 50.00 ● 200.00 10.00")
    autowerk = packed("Autowerk AG 20,000 ● 150.00 50.00 ● 0.00 10.00")
    assert brenner in per_customer and autowerk in per_customer
    assert per_customer.index(brenner) < per_customer.index(autowerk)

    assert "Key figures in detail" not in first and "Top issues" not in first
    assert "Page 1 of" in first
    assert second.startswith("Key figures in detail") or "\nKey figures in detail" in second


@pytest.mark.django_db
def test_summary_keeps_to_one_page_with_many_customers(month_data):
    extra = SUMMARY_CUSTOMERS + 3
    for number in range(extra):
        part = PartFactory(customer=CustomerFactory(name=f"Extra Customer {number:02d}"))
        deliver(part, dt.date(2026, 3, 10), 1_000 + number)

    first, second = report_pages()[:2]

    shown = [n for n in range(extra) if f"Extra Customer {n:02d}" in first]
    assert len(shown) == SUMMARY_CUSTOMERS - 2  # A and B come first: they have claims
    assert "5 more customers on page 2." in first
    assert "Key figures in detail" in second
    assert "Key figures in detail" not in first


@pytest.mark.django_db
def test_customer_report_summary_leaves_out_internal_figures(month_data):
    first = report_pages(customer=month_data["a"])[0]

    assert "Autowerk AG" in first and "Brenner Motors" not in first
    assert line_of(first, "0 km ppm") == packed("0 km ppm 150.00 0.00 +150.00 ≤ 50.00 ● Red")
    assert "Cost of poor quality" not in first and "Overdue actions" not in first


@pytest.mark.django_db
def test_symptom_column_shows_the_start_of_a_long_symptom(month_data):
    text = "\n".join(report_pages())
    issues = text.split("Top issues of the month", 1)[1]

    # The symptom has the widest column: some 40 characters to a line.
    first_line = next(line for line in issues.splitlines() if "Burr on the flange" in line)
    symptom_start = first_line[first_line.index("Burr on the flange") :]
    assert len(symptom_start) >= 40, symptom_start
    assert "END-OF-SYMPTOM" not in issues  # cut short, with the ellipsis
    assert "…" in issues


class TestTrafficLights:
    def test_lower_is_better_is_amber_between_target_and_limit(self):
        target = ppm_target(Decimal(50))
        assert [target.light(v) for v in (0, 50, Decimal("50.01"), 99, 100, 500)] == [
            GREEN,
            GREEN,
            AMBER,
            AMBER,
            RED,
            RED,
        ]
        assert target.light(None) == ""

    def test_higher_is_better_is_red_at_the_limit_and_below(self):
        target = Target(Decimal(95), Decimal(75), HIGHER)
        assert [target.light(v) for v in (100, 95, Decimal("94.9"), 76, 75, 0)] == [
            GREEN,
            GREEN,
            AMBER,
            AMBER,
            RED,
            RED,
        ]

    def test_settings_override_a_company_target(self, settings):
        assert company_target("reaction_hours") == Target(Decimal(24), Decimal(48), LOWER)
        settings.CQM_REPORT_TARGETS = {"reaction_hours": {"target": "16", "limit": 40}}
        assert company_target("reaction_hours") == Target(Decimal(16), Decimal(40), LOWER)
        assert company_target("claims_opened") is None
