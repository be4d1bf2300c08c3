"""The document pages fit 1440, 1024 and 390 px for staff and for a customer user (in German),
without a console error; the screenshots are kept under ``var/test-artifacts/layout/``."""

import pytest
from django.test.utils import override_settings

from accounts.models import User
from claims import services as claims_services
from claims.models import Claim
from claims.tests.factories import file_claim
from core.management.commands.seed_demo import QUIET_MAIL
from customers import demo as customers_demo
from customers.models import Part
from documents import demo
from documents.models import Document
from tests.browser import CHROMIUM, sign_in
from tests.e2e.test_layout_widths import ARTIFACTS, CUSTOMER, STAFF, _check_widths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]


@pytest.fixture
def documents_demo(transactional_db):
    with override_settings(EMAIL_BACKEND=QUIET_MAIL):
        customers_demo.seed()
        part = Part.objects.get(part_number=demo.PART_NUMBER)
        claim = file_claim(actor=User.objects.get(email=CUSTOMER), part=part)
        claims_services.claim_acknowledge(claim=claim, actor=User.objects.get(email=STAFF))
        demo.seed()
    User.objects.filter(email=CUSTOMER).update(language="de")


def _pages(internal: bool) -> dict[str, str]:
    pfmea = Document.objects.get(kind="pfmea")
    plan = Document.objects.get(kind="control_plan")
    pages = {
        "documents": "/documents/",
        "documents-searched": "/documents/?q=no-such-document",
        "control-plan": f"/documents/{plan.pk}/",
    }
    if internal:
        claim = Claim.objects.get()
        pages.update(
            {
                "pfmea": f"/documents/{pfmea.pk}/",
                "document-new": "/documents/new/",
                "document-edit": f"/documents/{pfmea.pk}/edit/",
                "revision-new": f"/documents/{plan.pk}/revisions/new/",
                "claim-d7": f"/claims/{claim.pk}/8d/D7/",
            }
        )
    return pages


def test_document_pages_fit_three_widths(page, live_server, documents_demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, STAFF)
    problems = _check_widths(page, live_server, "staff-documents", _pages(internal=True))
    page.context.clear_cookies()
    sign_in(page, live_server, CUSTOMER)
    problems += _check_widths(page, live_server, "customer-documents", _pages(internal=False))
    assert not problems, "\n".join(problems)
