"""Issue 3 acceptance: a customer files a claim with two photos, the engineer acknowledges it and
the customer sees the status change, all through the real pages in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from claims.models import Claim
from core.models import Attachment
from customers.models import Part
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

CUSTOMER = "quality@autowerk.example"
ENGINEER = "engineer@demo.example"
REFERENCE = "AW-QN-E2E-0001"


def _photo(path, colour):
    image = Image.new("RGB", (320, 200), (230, 230, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 280, 160), fill=(120, 120, 120))
    draw.ellipse((150, 70, 210, 130), outline=colour, width=5)
    image.save(path, format="PNG")
    return path


def _heading(page) -> str:
    return page.locator("h1").inner_text()


def file_claim(page, live_server, part, photos):
    page.goto(f"{live_server.url}/claims/")
    with page.expect_navigation():
        # The page action; an empty list offers the same link once more.
        page.get_by_role("link", name="File a claim").first.click()
    page.select_option("select[name=part]", str(part.pk))
    page.select_option("select[name=kind]", "0km")
    page.select_option("select[name=severity]", "major")
    page.fill("input[name=customer_reference]", REFERENCE)
    page.select_option("select[name=detection_location]", "line")
    page.fill(
        "input[name=detection_date]", (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )
    page.fill("textarea[name=symptom]", "Burr on bore Ø42, parts do not assemble on line 3.")
    page.fill("input[name=suspect_qty]", "400")
    page.fill("input[name=nonconforming_qty]", "12")
    page.fill("input[name=lot]", "L2611-204")
    page.set_input_files("input[name=files]", [str(path) for path in photos])
    with page.expect_navigation():
        page.click("button[name=submit]")


def test_customer_files_engineer_acknowledges_customer_sees_it(
    page, other_page, live_server, demo, tmp_path
):
    part = Part.objects.get(part_number="HN-21-1001")
    photos = [_photo(tmp_path / "burr-1.png", "red"), _photo(tmp_path / "burr-2.png", "orange")]

    sign_in(page, live_server, CUSTOMER)
    file_claim(page, live_server, part, photos)

    claim = Claim.objects.get(customer_reference=REFERENCE)
    assert page.url == f"{live_server.url}/claims/{claim.pk}/"
    assert claim.number in _heading(page) and "Submitted" in _heading(page)
    attachments = page.locator("section.attachments")
    assert attachments.locator("#attachments-heading .badge").inner_text() == "2"
    assert "burr-1.png" in attachments.inner_text() and "burr-2.png" in attachments.inner_text()
    assert Attachment.objects.for_owner(claim).count() == 2
    assert "The 8D steps start once we acknowledge the claim." in page.content()

    sign_in(other_page, live_server, ENGINEER)
    other_page.goto(f"{live_server.url}/claims/inbox/")
    with other_page.expect_navigation():
        other_page.get_by_role("link", name=claim.number).click()
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Acknowledge").click()
    assert "Acknowledged" in _heading(other_page)

    page.reload()
    assert claim.number in _heading(page) and "Acknowledged" in _heading(page)
    steps = page.locator("tr[id^=step-]")
    assert steps.count() == 9
    d3 = page.locator("#step-D3")
    assert "D3 Interim containment" in d3.inner_text()
    due_cell = d3.locator("td").nth(1).inner_text().strip()
    assert due_cell and due_cell != "–"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACKNOWLEDGED and claim.acknowledged_at is not None
    assert page.console.errors == []
    assert other_page.console.errors == []
