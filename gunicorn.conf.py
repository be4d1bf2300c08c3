"""gunicorn settings for production (read from the working directory; each can be set by env).

* ``max_requests`` with jitter: a worker that grew while rendering a heavy PDF or parsing a big
  upload is replaced after a while, so memory peaks do not stay; the jitter keeps the workers from
  restarting all at once.
* ``timeout``: a sync worker that has not answered for 30 s is killed and replaced. Requests are
  bounded well below it (request body and text limits, the image pixel budget); heavy documents
  belong to the Celery worker.
* Limits on the request line and headers stay at gunicorn's defaults, stated here.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gunicorn's own advice, 2 × cores + 1: while some workers serve slow requests (exports, a
# document's first rendering) others stay free for everyone else and for /healthz.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
