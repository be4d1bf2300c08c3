"""The audit conduct page on a tablet (1024 × 768) in Chromium: the element navigation and the
result stay in view while scrolling, answer controls are finger-sized, the side navigation folds
away, counters follow the answers and only open questions can be shown."""

import pytest

from audits import demo as audits_demo
from audits.models import Audit
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

expect = pytest.importorskip("playwright.sync_api").expect

ENGINEER = "engineer@demo.example"
TABLET = {"width": 1024, "height": 768}
TOUCH_PX = 44


@pytest.fixture
def stamping_audit(demo):
    """The demo's stamping line audit: in progress, the first six questions answered."""
    audits_demo.seed()
    return Audit.objects.get(title="Process audit stamping line 1")


def _in_view(page, selector: str, below: float = 0) -> bool:
    """Wholly inside the window, and (``below``) not under the sticky navigation."""
    box = page.locator(selector).bounding_box()
    return (
        box is not None and box["y"] >= below - 1 and box["y"] + box["height"] <= TABLET["height"]
    )


def _settled_box(page, selector: str) -> dict:
    """The element's box once a (smooth) scroll has come to rest."""
    box = None
    for _ in range(40):
        page.wait_for_timeout(100)
        previous, box = box, page.locator(selector).bounding_box()
        if box == previous:
            break
    return box


def _count(page, label: str) -> str:
    link = page.locator(".conduct-nav-link", has=page.locator(".conduct-nav-label", has_text=label))
    return link.locator("[data-count]").inner_text().split()[-1]


def test_conduct_page_on_a_tablet(page, live_server, stamping_audit):
    page.set_viewport_size(TABLET)
    sign_in(page, live_server, ENGINEER)
    page.goto(f"{live_server.url}/audits/{stamping_audit.pk}/conduct/")
    page.wait_for_load_state("networkidle")

    # The side navigation is folded away at tablet width and opens from the menu button.
    assert not page.locator("#sidenav").is_visible()
    page.locator(".conduct-menu-toggle").click()
    page.locator("#sidenav").get_by_role("link", name="Audits").wait_for(state="visible")
    page.locator("#sidenav .btn-close").click()
    page.locator("#sidenav").wait_for(state="hidden")

    # Elements and the steps of a stamping line, with answered/total.
    labels = page.locator(".conduct-nav-label").all_inner_texts()
    elements = ["P2", "P3", "P4", "P5", "P6", "P7"]
    assert labels == [*elements, "Blanking", "Stamping", "Trimming", "Inspection"]
    assert _count(page, "P2") == "4/4" and _count(page, "P3") == "2/4"
    assert _count(page, "Stamping") == "0/12"

    # Every answer control is at least 44 px high.
    controls = page.locator(".conduct-scores label, label.conduct-not-evaluated")
    heights = [box["height"] for box in (c.bounding_box() for c in controls.all()) if box]
    assert len(heights) == controls.count() > 100
    assert min(heights) >= TOUCH_PX, min(heights)

    # After scrolling to the end, the navigation and the result panel are still in view.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 3000
    nav = page.locator("#conduct-nav").bounding_box()
    assert _in_view(page, "#conduct-nav") and nav["y"] == 0
    assert _in_view(page, "#result-panel", below=nav["y"] + nav["height"])

    # Jumping to P4 lands its heading below the navigation, not under it.
    page.locator('.conduct-nav-link[href="#element-p4"]').click()
    heading = _settled_box(page, "#element-p4-heading")
    nav_bottom = page.locator("#conduct-nav").bounding_box()
    nav_end = nav_bottom["y"] + nav_bottom["height"]
    assert nav_end - 1 <= heading["y"] <= nav_end + 60

    # Scoring a stamping row counts in P6 and in the step, and refreshes the result.
    row = page.locator(".conduct-row[data-step=Stamping]").first
    row.locator(".conduct-scores label", has_text="8").click()
    expect(page.locator(".conduct-row[data-step=Stamping]").first).to_have_attribute(
        "data-answered", ""
    )
    assert _count(page, "Stamping") == "1/12" and _count(page, "P6") == "1/48"
    assert page.locator("#result-panel").is_visible()

    # Only the open questions: P2 is answered throughout, so its cards fold away.
    page.locator("#conduct-open-toggle").click()
    assert "show=open" in page.url
    assert page.locator("#element-p2 .conduct-card:visible").count() == 0
    assert page.locator("#element-p2 .conduct-all-answered").is_visible()
    assert page.locator("#element-p3 .conduct-card:visible").count() == 2
    page.locator("#conduct-open-toggle").click()
    assert page.locator("#element-p2 .conduct-card:visible").count() == 4

    for width, height in ((1024, 768), (768, 1024), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
    assert page.console.errors == []
