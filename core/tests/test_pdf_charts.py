import http.server
import io
import threading
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.charts import bar_chart_svg, line_chart_svg, page_svg
from core.pdf import RefusedResource, local_url_fetcher, render_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pdf_templates(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "pdf").mkdir(parents=True)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return folder / "pdf"


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_render_pdf_contains_the_text_and_page_numbers(pdf_templates):
    (pdf_templates / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "<table><thead><tr><th>Customer</th><th>ppm</th></tr></thead><tbody>"
        "{% for row in rows %}<tr><td>{{ row.0 }}</td><td class='num'>{{ row.1 }}</td></tr>"
        "{% endfor %}</tbody></table>{% endblock %}"
    )
    pdf = render_pdf(
        "pdf/sample.html",
        {
            "title": "Monthly quality report",
            "subtitle": "March 2026",
            "header_right": "Autowerk & Co",
            "rows": [("Autowerk AG", "12.5"), ("Brenner Motors", "0")],
        },
    )
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in ("Monthly quality report", "March 2026", "Autowerk AG", "Brenner Motors"):
        assert expected in text
    assert "Autowerk & Co" in text
    assert "Page 1 of 1" in text


def test_external_images_are_not_fetched(pdf_templates, web_server):
    port = web_server.server_address[1]
    (pdf_templates / "external.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<p>Before the picture</p><img src="http://127.0.0.1:' + str(port) + '/leak.png">'
        '<link rel="stylesheet" href="http://127.0.0.1:' + str(port) + '/x.css">'
        "{% endblock %}"
    )
    pdf = render_pdf("pdf/external.html", {"title": "External"})
    assert "Before the picture" in _text(pdf)
    assert _CountingHandler.hits == []


def test_inline_svg_chart_renders_into_pdf(pdf_templates):
    (pdf_templates / "chart.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<div class="chart">{{ chart|safe }}</div>{% endblock %}'
    )
    chart = bar_chart_svg(["Jan", "Feb"], [Decimal("3.5"), Decimal("7")], title="Claims")
    text = _text(render_pdf("pdf/chart.html", {"title": "With chart", "chart": chart}))
    assert "With chart" in text


def test_fetcher_serves_static_files_only():
    favicon = local_url_fetcher("static:img/favicon.svg")
    content = favicon.get("string") or favicon["file_obj"].read()
    assert b"<svg" in content
    relative = local_url_fetcher("file:///static/img/favicon.svg")
    assert relative.get("string") or relative.get("file_obj")
    for url in (
        "http://example.com/a.png",
        "https://example.com/a.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "static:does/not/exist.png",
    ):
        with pytest.raises(RefusedResource):
            local_url_fetcher(url)


def test_fetcher_allows_data_urls():
    result = local_url_fetcher("data:text/plain;base64,aGVsbG8=")
    content = result.get("string") or result["file_obj"].read()
    assert content == b"hello"


class TestCharts:
    def test_bar_chart_contains_labels_and_is_inlineable(self):
        svg = bar_chart_svg(
            ["Autowerk", "Brenner", "Cargo"],
            [Decimal("12.50"), None, 3],
            title="ppm by customer",
            target=Decimal("10"),
            unit="ppm",
        )
        assert svg.startswith("<svg")
        assert "<?xml" not in svg and "DOCTYPE" not in svg
        for text in ("Autowerk", "Brenner", "Cargo", "ppm by customer", "Target", "n/a"):
            assert text in svg

    def test_line_chart_contains_series_and_labels(self):
        svg = line_chart_svg(
            ["2026-01", "2026-02", "2026-03"],
            {"0km ppm": [Decimal(5), None, 7], "field ppm": [1, 2, Decimal("2.5")]},
            title="Trend",
            target=4,
        )
        assert svg.startswith("<svg")
        for text in ("2026-01", "2026-03", "0km ppm", "field ppm", "Trend", "Target"):
            assert text in svg

    @pytest.mark.parametrize(
        "svg",
        [
            pytest.param(lambda: bar_chart_svg([], [], title="Empty"), id="bar-empty"),
            pytest.param(lambda: bar_chart_svg(["a"], [None]), id="bar-none"),
            pytest.param(lambda: line_chart_svg([], {}), id="line-empty"),
            pytest.param(lambda: line_chart_svg(["a", "b"], {"x": [None, None]}), id="line-none"),
        ],
    )
    def test_no_data_chart(self, svg):
        rendered = svg()
        assert rendered.startswith("<svg")
        assert "No data" in rendered


def test_page_svg_moves_css_into_presentation_attributes():
    svg = (
        '<svg width="10pt" height="5pt" viewBox="0 0 10 5"><metadata>x</metadata>'
        '<style type="text/css">*{stroke-linecap: butt}</style>'
        "<path style=\"fill: #fff; stroke-width: 0.8; font-family: 'DejaVu Sans'\"/></svg>"
    )
    html = str(page_svg(svg, 'ppm "trend"'))
    assert html.startswith('<svg role="img" aria-label="ppm &quot;trend&quot;"')
    assert "<style" not in html and "style=" not in html and "metadata" not in html
    assert 'fill="#fff" stroke-width="0.8" font-family="&#x27;DejaVu Sans&#x27;"' in html
    assert 'width="10pt"' not in html and 'viewBox="0 0 10 5"' in html
