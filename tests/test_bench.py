"""The pieces of ``make bench`` that decide its figures: the load generator and the floor ratios.

The full run (seeding 200,000 claims, gunicorn, probes) is what ``make bench`` itself does; these
tests check that what it prints is computed right.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Writer, run_load
from bench.runner import RUNS, Results, add_ratios, markdown


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    cookies_seen: set = set()
    posts: list = []

    def do_GET(self):
        cookie = self.headers.get("Cookie") or ""
        _Handler.cookies_seen.add(cookie)
        status = 200 if cookie.startswith("sessionid=ok") else 403
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Handler.posts.append((self.headers.get("X-CSRFToken"), body))
        self.send_response(302)
        self.send_header("Content-Length", "0")
        self.end_headers()

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


def test_each_client_is_a_person_of_its_own(server):
    _Handler.cookies_seen.clear()
    people = [f"sessionid=ok{n}" for n in range(6)]
    result = run_load("127.0.0.1", server, "/", people, clients=6, seconds=0.3)
    assert result.errors == 0
    assert _Handler.cookies_seen == set(people)


def test_the_writer_posts_comments_with_the_csrf_token(server):
    _Handler.posts.clear()
    with Writer("127.0.0.1", server, "/claims/7/comments/", "sessionid=a; csrftoken=tok",
                interval=0.05) as writer:  # fmt: skip
        threading.Event().wait(0.4)
    assert writer.posted >= 3 and writer.failed == 0
    token, body = _Handler.posts[0]
    assert token == "tok"
    assert b"internal=on" in body and b"body=" in body


def _row(name, floor, p95, run=RUNS[0]):
    return {"name": name, "floor": floor, "p95_ms": p95, "run": run}


def test_ratios_use_the_mean_of_each_floors_two_runs_in_the_same_run():
    rows = [
        _row("Bare floor, signed out", "bare floor", 5.0),
        _row("Page floor", "page floor", 100.0),
        _row("API floor", "api floor", 50.0),
        _row("Claims list page", "page", 330.0),
        _row("Claims API list", "api", 90.0),
        _row("Page floor, again", "page floor", 120.0),
        _row("API floor, again", "api floor", 70.0),
        # The run with the writer has floors of its own.
        _row("Page floor", "page floor", 200.0, RUNS[1]),
        _row("Claims list page", "page", 300.0, RUNS[1]),
    ]
    add_ratios(rows)
    ratios = {(row["name"], row["run"]): row["p95_ratio"] for row in rows}
    assert ratios["Claims list page", RUNS[0]] == pytest.approx(3.0)
    assert ratios["Claims API list", RUNS[0]] == pytest.approx(1.5)
    assert ratios["Claims list page", RUNS[1]] == pytest.approx(1.5)
    assert ratios["Page floor", RUNS[0]] is None
    assert ratios["Bare floor, signed out", RUNS[0]] is None


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
        options={
            "workers": 5,
            "clients": 16,
            "seconds": 15,
            "cache": "TolerantRedisCache",
            "comments_posted": 123,
            "comments_failed": 0,
        },
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
            {
                "name": "Claims list page",
                "p50_ms": 160,
                "p95_ms": 190,
                "rps": 48.0,
                "errors": 0,
                "p95_ratio": 1.9,
                "run": RUNS[1],
            },
        ],
        ppm={"customer": {"orm_ms": 12.0, "raw_sql_ms": 10.0, "ratio": 1.2}},
        report={"seconds": 3.0, "peak_rss_mb": 173.0, "rss_before_mb": 141.0},
        csv_export={
            "seconds": 3.0,
            "rows": 200_000,
            "peak_rss_mb": 90.0,
            "rss_before_mb": 80.0,
            "rss_after_10k_rows_mb": 85.0,
        },
        copy_export={"seconds": 1.5, "rows": 200_000},
    )
    text = markdown(results)
    assert "| Claims list page | 150 | 180 | 50.0 | 1.80 | 0 |" in text
    assert "| Claims list page | 160 | 190 | 48.0 | 1.90 | 0 |" in text
    assert text.index("**Cached**") < text.index("**Cached, with a writer**")
    assert "| Page floor | 90 | 100 | 80.0 | floor | 0 |" in text
    assert "12.0 ms vs 10.0 ms = 1.20×" in text
    assert "3.0 s, worker peak 173 MB (141 MB before it started)" in text
    assert "COPY of the same rows 1.50 s = 2.0×" in text
    assert "posted 123 comments" in text and "cache TolerantRedisCache" in text
    assert "200,000 claims" in text
