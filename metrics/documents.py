"""The monthly management report PDF: its figures, its charts and the rendering (REFERENCE §5).

The first page is a summary a manager reads in a minute (``metrics.summary``): each key figure
against its target with a traffic light and its change against the previous month, and the ppm
of each customer. The detail follows from page 2.

Generation runs in three steps so that progress can be shown between them: the figures (database
reads), the charts (matplotlib) and the PDF (WeasyPrint). Every KPI comes from ``kpis_for``, the
same function the dashboard uses, so the report and the pages never disagree.

A customer's report goes to that customer's report recipients, so it leaves out what the customer
may not see (the cost of poor quality, which includes cost sheets not yet released to them).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims import kpis as claim_kpis
from claims.selectors import counted_in_ppm
from core.pdf import render_pdf
from customers.models import Customer
from special_status import selectors as special_status
from surveys import selectors as survey_selectors

from . import charts, ppm, rating_inputs, summary
from .kpis import MODULES, Kpis, kpis_for, month_bounds
from .models import Report

TEMPLATE = "pdf/monthly_report.html"
TREND_MONTHS = 12
PARETO_ROWS = 8
TOP_ISSUES = 10
OVERDUE_ROWS = 30
# The symptom has the widest column of the top issues; longer text is cut there.
SYMPTOM_CHARS = 160


@dataclass
class Figures:
    """Everything the report shows, read from the database in one step."""

    period: dt.date
    customer: object | None
    kpis: Kpis
    previous: Kpis  # the month before, for the summary's changes
    customer_ppm: list[summary.CustomerPpm]
    trend: list[ppm.Period]
    pareto_sources: list[tuple[str, int]]
    pareto_parts: list[tuple[str, int]]
    opened_closed: dict[dt.date, tuple[int, int]]
    overdue_claims: list[dict]
    top_issues: list[dict]
    # Each customer's rated scorecard of the month (REFERENCE §6); the customer's own alone.
    ratings: list[dict] = field(default_factory=list)

    @property
    def first_month(self) -> dt.date:
        return self.trend[0].start if self.trend else self.period


def report_figures(report: Report, *, now: dt.datetime) -> Figures:
    period, customer = report.period, report.customer
    customer_id = customer.pk if customer is not None else None
    first = ppm.add_months(period, 1 - TREND_MONTHS)
    window_start, _first_end = month_bounds(first)
    month_start, month_end = month_bounds(period)
    kpis = kpis_for(period, customer=customer, now=now)
    return Figures(
        period=period,
        customer=customer,
        kpis=kpis,
        previous=kpis_for(ppm.add_months(period, -1), customer=customer, now=now),
        customer_ppm=summary.customer_ppm(period, customer, kpis.month_counts),
        trend=ppm.series(ppm.Scope(customer_id=customer_id), first, period),
        pareto_sources=claim_kpis.pareto(
            "source", window_start, month_end, customer_id=customer_id, limit=PARETO_ROWS
        ),
        pareto_parts=claim_kpis.pareto(
            "part", window_start, month_end, customer_id=customer_id, limit=PARETO_ROWS
        ),
        opened_closed=_opened_closed(first, period, customer_id),
        overdue_claims=_overdue_claims(customer_id, now),
        top_issues=_top_issues(month_start, month_end, customer_id),
        ratings=_ratings(period, customer, now),
    )


def _ratings(period: dt.date, customer, now: dt.datetime) -> list[dict]:
    """The month's card of every active customer (or of the report's customer), by name, with the
    customer's voice beside it: its latest survey and the special statuses in force."""
    if customer is not None:
        customers = [customer]
    else:
        customers = Customer.objects.active().select_related("requirements", "scorecard_settings")
    rows = []
    for each in customers:
        card = rating_inputs.month_rating(each, period, now=now)
        own = card.customer_rating
        rows.append(
            {
                "name": each.name,
                "total": card.rating.total,
                "band": card.rating.band or "",
                "band_label": rating_inputs.band_label(card.rating.band),
                "overrides": [override.reason for override in card.rating.overrides],
                "customer_score": own.score if own else None,
                "customer_band": own.band if own else "",
                "customer_band_label": rating_inputs.band_label(own.band) if own else "",
                "survey": survey_selectors.latest_campaign_figures(each.pk),
                "special_statuses": [str(status) for status in special_status.open_for(each.pk)],
            }
        )
    return rows


def _opened_closed(first: dt.date, last: dt.date, customer_id) -> dict:
    """Every month of the window, months without claims as (0, 0)."""
    start, _end = month_bounds(first)
    _start, end = month_bounds(last)
    counted = claim_kpis.opened_and_closed_by_month(start, end, customer_id=customer_id)
    return {month: counted.get(month, (0, 0)) for month in ppm.months_between(first, last)}


def _overdue_claims(customer_id, now: dt.datetime) -> list[dict]:
    claims = claim_kpis.overdue_eight_d(customer_id=customer_id, now=now, limit=OVERDUE_ROWS)
    return [
        {
            "number": claim.number,
            "customer": claim.customer.name,
            "part": claim.part.part_number,
            "step": claim.next_due_code or "",
            "due_at": claim.next_due_at,
            "days_overdue": (now - claim.next_due_at).days if claim.next_due_at else None,
            "engineer": str(claim.assigned_engineer) if claim.assigned_engineer else "",
        }
        for claim in claims
    ]


def _top_issues(start: dt.datetime, end: dt.datetime, customer_id) -> list[dict]:
    """The month's claims charged to ppm with the largest quantities."""
    claims = counted_in_ppm().filter(notified_at__gte=start, notified_at__lt=end)
    if customer_id is not None:
        claims = claims.filter(customer_id=customer_id)
    claims = claims.select_related("customer", "part").order_by("-ppm_qty", "notified_at", "pk")
    return [
        {
            "number": claim.number,
            "customer": claim.customer.name,
            "part": claim.part.part_number,
            "kind": claim.get_kind_display(),
            "source": claim.get_defect_source_display() if claim.defect_source else "",
            "symptom": Truncator(claim.symptom).chars(SYMPTOM_CHARS),
            "ppm_qty": claim.ppm_qty,
            "status": claim.get_status_display(),
        }
        for claim in claims[:TOP_ISSUES]
    ]


# --- charts ---------------------------------------------------------------------------------------


def report_charts(figures: Figures) -> dict[str, str]:
    targets = figures.kpis.targets
    return {
        "trend_0km": charts.ppm_trend_svg(figures.trend, kind="0km", target=targets.ppm_0km),
        "trend_field": charts.ppm_trend_svg(figures.trend, kind="field", target=targets.ppm_field),
        "pareto_sources": charts.pareto_svg(
            figures.pareto_sources, title=_("Defect sources (parts charged to ppm)")
        ),
        "pareto_parts": charts.pareto_svg(
            figures.pareto_parts, title=_("Parts (parts charged to ppm)")
        ),
        "opened_closed": charts.opened_closed_svg(figures.opened_closed),
    }


# --- the document ---------------------------------------------------------------------------------


def scope_label(report: Report) -> str:
    return report.customer.name if report.customer_id else _("Whole company")


def report_context(
    report: Report, figures: Figures, chart_svgs: dict[str, str], *, generated_at: dt.datetime
) -> dict:
    kpis = figures.kpis
    company_wide = report.customer_id is None
    generated = timezone.localtime(generated_at)
    return {
        "title": _("Monthly management report"),
        "header_right": f"{scope_label(report)} · {report.period:%Y-%m} · v{report.version}",
        "footer_left": _("Generated %(when)s") % {"when": f"{generated:%Y-%m-%d %H:%M %Z}"},
        "report": report,
        "scope": scope_label(report),
        "company_wide": company_wide,
        "period": report.period,
        "first_month": figures.first_month,
        "generated_at": generated,
        "na": _("n/a"),
        "kpis": kpis,
        "previous_month": ppm.add_months(report.period, -1),
        "summary_rows": summary.summary_rows(
            kpis, figures.previous, figures.opened_closed, internal=company_wide
        ),
        "customer_ppm": figures.customer_ppm,
        "customer_ppm_first": figures.customer_ppm[: summary.SUMMARY_CUSTOMERS],
        "customers_not_shown": max(0, len(figures.customer_ppm) - summary.SUMMARY_CUSTOMERS),
        "ppm_rows": _ppm_rows(kpis),
        "count_rows": _count_rows(kpis),
        "open_by_age": list(kpis.open_by_age.items()),
        "cost_of_poor_quality": sorted(kpis.cost_of_poor_quality.items()),
        "charts": {name: _svg_data_uri(svg) for name, svg in chart_svgs.items()},
        "trend": [_trend_row(period) for period in figures.trend],
        "opened_closed": [
            {"month": month, "opened": opened, "closed": closed}
            for month, (opened, closed) in figures.opened_closed.items()
        ],
        "pareto_sources": figures.pareto_sources,
        "pareto_parts": figures.pareto_parts,
        "overdue_claims": figures.overdue_claims,
        "top_issues": figures.top_issues,
        "ratings": figures.ratings,
        "module_sections": [
            {"key": key, "title": title, "figures": kpis.module_sections.get(key, [])}
            for key, (title, _figures) in MODULES.items()
        ],
    }


def _svg_data_uri(svg: str) -> str:
    """Each chart as an image of its own: inlined side by side, the charts' SVG ids would clash."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _ppm_rows(kpis: Kpis) -> list[dict]:
    rows = []
    for label, attribute, target in (
        (_("ppm 0 km"), "ppm_0km", kpis.targets.ppm_0km),
        (_("ppm field"), "ppm_field", kpis.targets.ppm_field),
    ):
        values = [
            getattr(counts, attribute) for counts in (kpis.month_counts, kpis.ytd, kpis.rolling_12)
        ]
        rows.append(
            {
                "label": label,
                "cells": [{"value": v, "over": v is not None and v > target} for v in values],
                "target": target,
            }
        )
    return rows


def _count_rows(kpis: Kpis) -> list[dict]:
    windows = (kpis.month_counts, kpis.ytd, kpis.rolling_12)
    return [
        {"label": _("Parts delivered"), "values": [c.delivered for c in windows]},
        {"label": _("Incidents (claims)"), "values": [c.incidents for c in windows]},
        {"label": _("IPB (incidents per billion)"), "values": [c.ipb for c in windows]},
    ]


def _trend_row(period: ppm.Period) -> dict:
    counts = period.counts
    return {
        "label": period.label,
        "delivered": counts.delivered,
        "ppm_0km": counts.ppm_0km,
        "ppm_field": counts.ppm_field,
        "incidents": counts.incidents,
    }


def render_report(context: dict) -> bytes:
    return render_pdf(TEMPLATE, context)


def report_download_name(report: Report) -> str:
    scope = report.customer.code if report.customer_id else "company"
    return f"management-report-{report.period:%Y-%m}-{scope}-v{report.version}.pdf"


def report_file_response(report: Report) -> FileResponse:
    """The stored PDF as a download; 404 while it is not ready or its file is gone."""
    if not report.is_ready:
        raise Http404
    try:
        content = report.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        content,
        as_attachment=True,
        filename=report_download_name(report),
        content_type="application/pdf",
    )
