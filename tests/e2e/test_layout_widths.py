"""Every main page fits the screen at 1440, 1024 and 390 px, for staff and for a customer user.

A page fails when it scrolls sideways (``scrollWidth`` wider than the window) or reports a console
error. Each page is loaded once and then resized, so the three widths cost one request. The
screenshots of every width are kept under ``var/test-artifacts/layout/`` for a look by eye.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from audits.models import Audit, Catalogue, Finding
from changes.models import ChangeRequest, Deviation
from claims import services as claims_services
from claims.models import Claim
from claims.tests.factories import file_claim, png_upload
from core.management.commands.seed_demo import QUIET_MAIL, demo_modules
from customers.models import Customer, Part
from metrics.models import Report
from metrics.reports import previous_month, report_request
from ppap.models import PpapSubmission
from special_status.models import SpecialStatus
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

STAFF = "manager@demo.example"
ENGINEER = "engineer@demo.example"
CUSTOMER = "quality@autowerk.example"
# The widths of the product issue: a desktop, a small laptop or tablet across, a phone.
VIEWPORTS = {"1440": (1440, 900), "1024": (1024, 768), "390": (390, 844)}
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "layout"

# The elements that stick out past the right edge, to name the culprit in the failure: the deepest
# ones that no scrolling or clipping box around them holds in.
OVERFLOWING = """() => {
  const limit = window.innerWidth + 1;
  const held = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') {
        return box.getBoundingClientRect().right <= limit;
      }
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > limit && !held(element);
  });
  const inner = (element) => !wide.some((other) => other !== element && element.contains(other));
  const deepest = wide.filter(inner);
  return deepest.slice(0, 5).map((element) => {
    const classes = typeof element.className === 'string' ? element.className.trim() : '';
    const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (classes ? '.' + classes.split(/\\s+/).join('.') : '');
    return `${name} (right edge ${Math.round(element.getBoundingClientRect().right)} px)`;
  });
}"""


# A long German symptom and file name without a break: what made lists and claim pages too wide.
SYMPTOM = (
    "Gratbildung an der Befestigungsbohrung Ø42, Teile lassen sich an Linie 3 nicht montieren; "
    "Sichtprüfung der Restmenge im Lager Heilbronn ergab weitere Auffälligkeiten an Los L2611-204 "
    "und L2611-205, Sperrung und 100-%-Prüfung durch den Kunden eingeleitet."
)
FILE_NAME = "Pruefbericht_Messprotokoll_Befestigungsbohrung_42mm_Los_L2611-204_final_v3.png"

# The lists must be readable on a desktop without scrolling their table sideways.
LISTS = {
    "claims",
    "claims-inbox",
    "changes",
    "deviations",
    "ppap-list",
    "audits",
    "findings",
    "special-status",
}
LIST_SCROLLS = """[...document.querySelectorAll('.table-card')]
  .some((box) => box.scrollWidth > box.clientWidth + 1)"""


@pytest.fixture
def demo_world(transactional_db):
    """The demo, committed so the live server sees it, with a few claims and a monthly report.

    The demo's own forty claims with their 8Ds take minutes to file; a handful filed here show
    every column and state the layout has to hold.
    """
    with override_settings(EMAIL_BACKEND=QUIET_MAIL):
        for module in demo_modules():
            if module.__name__ != "claims.demo":
                module.seed()
        _file_claims()
        report_request(
            period=previous_month(),
            customer=Customer.objects.get(code="AUTOWERK"),
            actor=User.objects.get(email=STAFF),
        )
    # The customer reads the portal in German: the longer labels are the harder test.
    User.objects.filter(email=CUSTOMER).update(language="de")


def _file_claims() -> None:
    engineer = User.objects.get(email=ENGINEER)
    for code in ("AUTOWERK", "BRENNER", "CALDERA"):
        customer_user = User.objects.get(email=f"quality@{code.lower()}.example")
        parts = Part.objects.filter(customer__code=code).order_by("pk")[:4]
        for number, part in enumerate(parts):
            claim = file_claim(
                actor=customer_user,
                part=part,
                uploads=[png_upload(FILE_NAME)],
                symptom=SYMPTOM,
                customer_reference=f"{code[:2]}-QN-2026-{number:05d}-NACHTRAG",
                detection_date=timezone.localdate(),
                submit=number != 3,
            )
            if number < 2:
                claims_services.claim_acknowledge(claim=claim, actor=engineer)


def _record_pages(user) -> dict[str, str]:
    """The first record of each kind the user may open (a customer may see none of some kinds)."""
    kinds = {
        "claim": (Claim.objects.all(), "/claims/{}/"),
        "claim-8d": (Claim.objects.exclude(acknowledged_at=None), "/claims/{}/8d/"),
        "change": (ChangeRequest.objects.all(), "/changes/{}/"),
        "deviation": (Deviation.objects.all(), "/changes/deviations/{}/"),
        "ppap": (PpapSubmission.objects.all(), "/ppap/{}/"),
        "audit": (Audit.objects.all(), "/audits/{}/"),
        "finding": (Finding.objects.all(), "/audits/findings/{}/"),
        "special-status-record": (SpecialStatus.objects.all(), "/special-status/{}/"),
        "claim-linked": (Claim.objects.exclude(master=None), "/claims/{}/"),
        "claim-provisional": (Claim.objects.filter(status="provisionally_closed"), "/claims/{}/"),
    }
    if user.is_internal:
        conducted = Audit.objects.filter(status=Audit.Status.IN_PROGRESS)
        kinds["audit-conduct"] = (conducted, "/audits/{}/conduct/")
    pages = {}
    for name, (queryset, path) in kinds.items():
        record = queryset.visible_to(user).order_by("pk").first()
        if record is not None:
            pages[name] = path.format(record.pk)
    return pages


def _staff_pages(user) -> dict[str, str]:
    autowerk = Customer.objects.get(code="AUTOWERK")
    part = Part.objects.filter(customer=autowerk).order_by("pk").first()
    return {
        "home": "/",
        "my-actions": "/actions/",
        "claims": "/claims/",
        "claims-inbox": "/claims/inbox/",
        "claims-import": f"/claims/import/?customer={autowerk.pk}",
        "claims-import-mapping": f"/claims/import/mapping/?customer={autowerk.pk}",
        "changes": "/changes/",
        "deviations": "/changes/deviations/",
        "ppap-list": "/ppap/",
        "audits": "/audits/",
        "findings": "/audits/findings/",
        "special-status": "/special-status/",
        "special-status-new": "/special-status/new/",
        "audit-programme": "/audits/programme/",
        "audit-coverage": "/audits/coverage/",
        "catalogues": "/audits/catalogues/",
        "catalogue": f"/audits/catalogues/{Catalogue.objects.order_by('pk').first().pk}/",
        "customers": "/customers/",
        "customer": f"/customers/{autowerk.pk}/",
        "parts": "/parts/",
        "part": f"/parts/{part.pk}/",
        "plants": "/plants/",
        "dashboard": "/metrics/",
        "scorecard": f"/metrics/scorecard/?customer={autowerk.pk}",
        "scorecards": "/metrics/scorecard/",
        "ratings": "/metrics/rating/",
        "rating": f"/metrics/rating/{autowerk.pk}/",
        "rating-settings": f"/metrics/rating/{autowerk.pk}/settings/",
        "rating-certificates": f"/metrics/rating/{autowerk.pk}/certificates/",
        "rating-certificate-new": f"/metrics/rating/{autowerk.pk}/certificates/new/",
        "rating-customer-scores": f"/metrics/rating/{autowerk.pk}/customer-scores/",
        "rating-customer-score-new": f"/metrics/rating/{autowerk.pk}/customer-scores/new/",
        "deliveries": "/metrics/deliveries/",
        "reports": "/metrics/reports/",
        "report": f"/metrics/reports/{Report.objects.order_by('pk').first().pk}/",
        "profile": "/accounts/profile/",
        "notifications": "/notifications/",
        **_record_pages(user),
    }


def _customer_pages(user) -> dict[str, str]:
    return {
        "home": "/",
        "claims": "/claims/",
        "claims-import": "/claims/import/",
        "claims-import-mapping": "/claims/import/mapping/",
        "changes": "/changes/",
        "deviations": "/changes/deviations/",
        "ppap-list": "/ppap/",
        "audits": "/audits/",
        "findings": "/audits/findings/",
        "special-status": "/special-status/",
        "scorecard": "/metrics/scorecard/",
        "rating": f"/metrics/rating/{user.customer_id}/",
        "profile": "/accounts/profile/",
        "notifications": "/notifications/",
        # the demo's customer users administer their company's users
        "users": "/accounts/users/",
        "user-invite": "/accounts/users/invite/",
        "user": f"/accounts/users/{user.pk}/edit/",
        "user-history": f"/accounts/users/{user.pk}/history/",
        **_record_pages(user),
    }


def _check_widths(page, live_server, who: str, pages: dict[str, str]) -> list[str]:
    """Visit each page once, resize it through the three widths; returns what went wrong."""
    problems = []
    for name, path in pages.items():
        page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["1440"], strict=True)))
        page.console.errors.clear()
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if not response.ok:
            problems.append(f"{who} {name} ({path}): HTTP {response.status}")
            continue
        for label, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=ARTIFACTS / f"{who}-{name}-{label}.png", full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            inner_width = page.evaluate("window.innerWidth")
            if scroll_width > inner_width:
                culprits = ", ".join(page.evaluate(OVERFLOWING)) or "no single element"
                problems.append(f"{who} {name} at {label} px: {scroll_width} px wide ({culprits})")
            if label == "1440" and name in LISTS and page.evaluate(LIST_SCROLLS):
                problems.append(f"{who} {name} at 1440 px: the list's table scrolls sideways")
        problems.extend(f"{who} {name}: console error {error}" for error in page.console.errors)
    return problems


def test_every_main_page_fits_three_widths(page, live_server, demo_world, capsys):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = User.objects.get(email=STAFF)
    customer = User.objects.get(email=CUSTOMER)
    staff_pages, customer_pages = _staff_pages(staff), _customer_pages(customer)
    assert {"claim", "claim-8d", "change", "deviation", "ppap", "audit-conduct"} <= set(staff_pages)
    assert {"claim", "claim-8d"} <= set(customer_pages)

    sign_in(page, live_server, STAFF)
    problems = _check_widths(page, live_server, "staff", staff_pages)
    page.context.clear_cookies()
    sign_in(page, live_server, CUSTOMER)
    problems += _check_widths(page, live_server, "customer", customer_pages)

    with capsys.disabled():
        print(f"\nlayout screenshots: {ARTIFACTS}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def a_few_claims(demo):
    with override_settings(EMAIL_BACKEND=QUIET_MAIL):
        _file_claims()


def test_the_claim_list_shows_cards_on_a_phone(page, live_server, a_few_claims):
    """Below 768 px each claim is a card with its number, status, whose turn and due date."""
    sign_in(page, live_server, CUSTOMER)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/claims/")

    first = page.locator("table.list-cards tbody tr").first
    for column in ("number", "status", "waiting", "due"):
        cell = first.locator(f'[data-column="{column}"]')
        assert cell.is_visible(), column
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, column
