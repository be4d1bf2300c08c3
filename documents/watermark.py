"""A withdrawn or replaced revision's PDF carries what it is, diagonally across every page.

The watermark is one page rendered once per text with WeasyPrint (``core.pdf``) and laid over
each page of the stored file with pypdf, scaled to the page's size: a printed superseded work
instruction cannot be mistaken for the one in effect.
"""

from __future__ import annotations

import functools
import io

from django.utils.html import escape
from pypdf import PdfReader, PdfWriter, Transformation

from core.pdf import html_to_pdf

# A4 in PDF points: the watermark page's size before it is scaled to each page.
A4_POINTS = (595.28, 841.89)

_PAGE = """<!doctype html><html><head><style>
@page {{ size: A4; margin: 0; }}
html {{ font-family: "DejaVu Sans", Arial, sans-serif; }}
body {{ margin: 0; }}
.mark {{ position: absolute; top: 45%; left: -10%; width: 120%; text-align: center;
  transform: rotate(-55deg); font-size: 96pt; font-weight: bold; letter-spacing: 8pt;
  color: rgba(200, 0, 0, 0.28); }}
</style></head><body><div class="mark">{text}</div></body></html>"""


@functools.lru_cache(maxsize=8)
def watermark_page(text: str) -> bytes:
    """The one-page PDF that says ``text`` diagonally, made once per process and text."""
    return html_to_pdf(_PAGE.format(text=escape(text)))


def watermarked(content: bytes, text: str) -> bytes:
    """``content`` (a PDF) with ``text`` laid diagonally over every page."""
    stamp = PdfReader(io.BytesIO(watermark_page(text))).pages[0]
    stamp_width, stamp_height = float(stamp.mediabox.width), float(stamp.mediabox.height)
    reader = PdfReader(io.BytesIO(content))
    writer = PdfWriter()
    for page in reader.pages:
        box = page.mediabox
        scale = (
            Transformation()
            .scale(float(box.width) / stamp_width, float(box.height) / stamp_height)
            .translate(float(box.left), float(box.bottom))
        )
        page.merge_transformed_page(stamp, scale, over=True)
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
