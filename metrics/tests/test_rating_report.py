"""The rated scorecard in the monthly report (every customer's band) and on the dashboard."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from metrics import documents, rating_services
from metrics.models import Report

from .factories import deliver

pytestmark = pytest.mark.django_db

MONTH = dt.date(2026, 3, 1)
NOW = timezone.make_aware(dt.datetime(2026, 4, 2, 8))


@pytest.fixture
def rated(customer_a, customer_b, engineer, manager):
    """March: A without defects (green); B 100 field ppm (red), a missing IATF certificate and
    its own score of 61 recorded."""
    part_a, part_b = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
    deliver(part_a, dt.date(2026, 3, 2), 20_000)
    deliver(part_b, dt.date(2026, 3, 3), 30_000)
    decided_claim(part_b, dt.date(2026, 3, 9), 3, actor=engineer, kind="field")
    rating_services.certificate_create(customer=customer_b, actor=manager, name="IATF 16949")
    rating_services.customer_rating_create(
        customer=customer_b, actor=manager, month=MONTH, score=Decimal(61), band="red"
    )
    return customer_a, customer_b


def report_text(customer=None) -> str:
    report = Report.objects.create(period=MONTH, customer=customer)
    figures = documents.report_figures(report, now=NOW)
    context = documents.report_context(
        report, figures, documents.report_charts(figures), generated_at=NOW
    )
    content = documents.render_report(context)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def section(text: str) -> str:
    """The ratings section without spaces: text extraction places them loosely."""
    return "".join(text.split("Rated scorecard", 1)[1].split())


def packed(text: str) -> str:
    return "".join(text.split())


def test_company_report_lists_every_customers_band(rated):
    ratings = section(report_text())
    # A: 0 km and field 0 ppm, 100 points: green. B: field 100 ppm (t 10, l 20) 0 points over
    # weights 30 + 20: 60.0, red by the total and by the missing certificate.
    assert packed("Autowerk AG 100.0 ● Green – –") in ratings
    assert packed("Brenner Motors 60.0 ● Red IATF 16949: no valid certificate on record") in ratings
    assert packed("61.0 · Red") in ratings


def test_customer_report_shows_its_own_rating_only(rated):
    customer_a, _customer_b = rated
    ratings = section(report_text(customer_a))
    assert packed("Autowerk AG 100.0 ● Green") in ratings
    assert "Brenner" not in ratings


def test_dashboard_of_one_customer_shows_its_rating(client_for, manager, rated):
    _customer_a, customer_b = rated
    client = client_for(manager)
    html = client.get(reverse("metrics:dashboard"), {"month": "2026-03"}).content.decode()
    assert 'data-testid="dashboard-rating"' not in html
    html = client.get(
        reverse("metrics:dashboard"), {"customer": customer_b.pk, "month": "2026-03"}
    ).content.decode()
    tile = html.split('data-testid="dashboard-rating"', 1)[1].split("</section>", 1)[0]
    assert "data-rating-total>60.0<" in tile and 'data-band="red"' in tile
    assert "IATF 16949: no valid certificate on record" in tile
    assert "61.0" in tile
    assert reverse("metrics:rating-card", args=[customer_b.pk]) + "?month=2026-03" in tile
