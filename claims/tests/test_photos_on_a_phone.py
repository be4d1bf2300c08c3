"""The claim page's photos and file names on a 390 px phone, in Chromium.

Long file names wrap at the width of their box, never one letter per line, and nothing scrolls
sideways; the thumbnails load (the Content-Security-Policy allows them).
"""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from tests.browser import CHROMIUM, sign_in

from .factories import file_claim
from .test_photos import LONG_NAME, _pdf, _photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

PHONE = {"width": 390, "height": 844}
LONG_DOCUMENT = "Pruefbericht_Sortierung_Lieferung_4711_Wareneingang_Werk_Sued_2026-03-02.pdf"

NAME_BOXES = """
els => els.map(el => {
  const box = el.getBoundingClientRect();
  const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
  const lines = Math.round(box.height / lineHeight);
  return {text: el.textContent.trim(), width: box.width, lines: lines};
})
"""


def test_photos_and_file_names_fit_a_phone(page, live_server, transactional_db, user_a):
    claim = file_claim(actor=user_a, uploads=[_photo(LONG_NAME), _pdf(LONG_DOCUMENT)])
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user_a.email, DEFAULT_PASSWORD)

    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.wait_for_load_state("networkidle")

    loaded = page.eval_on_selector_all(
        ".attachment-pictures img", "imgs => imgs.map(img => img.complete && img.naturalWidth)"
    )
    assert loaded and all(loaded), loaded
    names = page.eval_on_selector_all(".attachments .fw-semibold", NAME_BOXES)
    assert {name["text"] for name in names} == {LONG_NAME, LONG_DOCUMENT}
    for name in names:
        # A quarter of the phone at least, and a few lines at most: wrapped, not stacked letters.
        assert name["width"] >= 0.25 * PHONE["width"], name
        assert name["lines"] <= 6, name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console.errors == []


def test_a_thumbnail_enlarges_in_a_dialog_on_the_page(page, live_server, transactional_db, user_a):
    claim = file_claim(actor=user_a, uploads=[_photo(LONG_NAME)])
    sign_in(page, live_server, user_a.email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")

    page.click(".attachment-pictures a[data-bs-toggle=modal]")
    viewer = page.locator("#picture-viewer")
    viewer.wait_for(state="visible")
    page.wait_for_function(
        "() => { const img = document.querySelector('#picture-viewer img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert page.url == f"{live_server.url}/claims/{claim.pk}/"  # no new tab, no navigation
    assert viewer.locator(".modal-title").inner_text() == LONG_NAME
    width = page.eval_on_selector("#picture-viewer img", "img => img.naturalWidth")
    assert width == 1200  # the large picture, not the 320 px thumbnail
    # Shown once the dialog holds the focus (after its fade): Escape closes it then.
    page.wait_for_function("() => document.activeElement.closest('#picture-viewer')")
    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert page.console.errors == []
