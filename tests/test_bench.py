"""The pieces of ``make bench`` that decide its figures: the load generator and the floor ratios.

The full run (seeding 200,000 claims, gunicorn, probes) is what ``make bench`` itself does; these
tests check that what it prints is computed right.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import run_load
from bench.runner import Results, add_ratios, markdown


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.headers.get("Cookie") == "sessionid=ok" else 403
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_load_generator_counts_requests_and_errors(server):
    signed_in = run_load("127.0.0.1", server, "/", "sessionid=ok", clients=4, seconds=0.5)
    assert signed_in.requests > 10 and signed_in.errors == 0
    assert signed_in.statuses == {200: signed_in.requests}
    assert 0 < signed_in.p50_ms <= signed_in.p95_ms
    assert signed_in.rps == pytest.approx(signed_in.requests / signed_in.seconds)

    refused = run_load("127.0.0.1", server, "/", "sessionid=stale", clients=2, seconds=0.2)
    assert refused.errors == refused.requests > 0  # anything but a 200 counts as an error


def test_ratios_use_the_mean_of_each_floors_two_runs():
    rows = [
        {"name": "Page floor", "floor": "page floor", "p95_ms": 100.0},
        {"name": "API floor", "floor": "api floor", "p95_ms": 50.0},
        {"name": "Claims list page", "floor": "page", "p95_ms": 330.0},
        {"name": "Claims API list", "floor": "api", "p95_ms": 90.0},
        {"name": "Page floor, again", "floor": "page floor", "p95_ms": 120.0},
        {"name": "API floor, again", "floor": "api floor", "p95_ms": 70.0},
    ]
    add_ratios(rows)
    ratios = {row["name"]: row["p95_ratio"] for row in rows}
    assert ratios["Claims list page"] == pytest.approx(3.0)
    assert ratios["Claims API list"] == pytest.approx(1.5)
    assert ratios["Page floor"] is None


def test_markdown_table_shows_each_endpoint_and_the_probes():
    results = Results(
        machine={
            "when": "2026-11-23T18:43+00:00",
            "cores": 2,
            "cpu": "test CPU",
            "memory_gib": 23.5,
            "postgresql": "15",
            "python": "3.11",
            "claims": 200_000,
        },
        options={"workers": 5, "clients": 16, "seconds": 15},
        endpoints=[
            {"name": "Page floor", "p50_ms": 90, "p95_ms": 100, "rps": 80.0, "errors": 0},
            {
                "name": "Claims list page",
                "p50_ms": 150,
                "p95_ms": 180,
                "rps": 50.0,
                "errors": 0,
                "p95_ratio": 1.8,
            },
        ],
        ppm={"customer": {"orm_ms": 12.0, "raw_sql_ms": 10.0, "ratio": 1.2}},
        report={"seconds": 3.0, "peak_rss_mb": 173.0},
    )
    text = markdown(results)
    assert "| Claims list page | 150 | 180 | 50.0 | 1.80 | 0 |" in text
    assert "| Page floor | 90 | 100 | 80.0 | floor | 0 |" in text
    assert "12.0 ms vs 10.0 ms = 1.20×" in text
    assert "3.0 s, worker peak 173 MB" in text
    assert "200,000 claims" in text
