"""Seed the multi-host run's database and write what the run needs to know to a JSON file:
the queues the workers serve at once, the demo logins once the data is seeded.

    python deploy/multihost/prepare.py <result.json>


Runs with the hosts' environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, …) from the project root.
It creates the demo master data only (customers, plants, parts, users; no claims or months of
history: ``customers.demo``), which is all the checks need and takes seconds, and reads from the
settings the queues the workers serve.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqm_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from customers import demo  # noqa: E402
from metrics.models import Report  # noqa: E402

# The demo addresses are made up: the demo's own notifications go nowhere.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def worker_queues() -> dict[str, list[str]]:
    """The notification queue for one worker, every other queue for the other (DESIGN §7)."""
    prefix = getattr(settings, "CQM_QUEUE_PREFIX", "")
    names = getattr(settings, "CQM_QUEUE_NAMES", ("celery", "notifications", "reports", "imports"))
    everything = [prefix + name for name in names]
    notifications = [name for name in everything if name == prefix + "notifications"]
    return {
        "notifications": notifications,
        "main": [name for name in everything if name not in notifications],
    }


def main() -> None:
    """Write the settings facts first (the workers can start), then seed and add the logins."""
    result = Path(sys.argv[1])
    facts = {
        "queues": worker_queues(),
        "report_table": Report._meta.db_table,
        "storage": settings.STORAGES["default"]["BACKEND"],
    }
    result.with_suffix(".partial").write_text(json.dumps(facts))
    result.with_suffix(".partial").rename(result)
    with override_settings(EMAIL_BACKEND=QUIET_MAIL):
        logins = demo.seed_demo()
    connection.close()
    facts["logins"] = {login.email: login.password for login in logins}
    result.with_suffix(".partial").write_text(json.dumps(facts))
    result.with_suffix(".partial").rename(result)


if __name__ == "__main__":
    main()
