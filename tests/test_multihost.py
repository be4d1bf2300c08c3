"""The portal on several hosts (network namespaces on this machine) passes every scale-out check.

Runs ``deploy/multihost/run`` as it is run by hand: two web hosts behind a round-robin proxy, two
worker hosts, one beat host, sharing PostgreSQL, Redis and an S3 server. Needs root (network
namespaces), iproute2, and PostgreSQL and Redis named by DATABASE_URL and REDIS_URL, as CI has.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "multihost" / "run"
TIMEOUT_SECONDS = 1200
CHECKS = (
    "1 requests spread over web1 and web2",
    "2 file uploaded on web1 downloads identical on web2",
    "3a session from web1 signs in on web2",
    "3b five wrong passwords on web1 lock the account on web2",
    "3c API throttle counted across web1 and web2",
    "4 report of a killed worker host finished once by the other",
    "5 safety alert mailed while a report runs",
)


def _why_not_runnable() -> str:
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed"
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    if listed.returncode != 0:
        return f"`ip netns` does not work here: {listed.stderr.strip()}"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs PostgreSQL (a postgres:// DATABASE_URL)"
    if not os.environ.get("REDIS_URL"):
        return "needs Redis (REDIS_URL)"
    return ""


pytestmark = pytest.mark.skipif(bool(_why_not_runnable()), reason=_why_not_runnable() or "-")


def test_every_scale_out_check_passes(django_db_setup):
    # The run's database is a copy of the suite's migrated template, not migrated once more, and
    # no check looks at static files: not collected (minutes of CPU compressing every asset).
    template = settings.DATABASES["default"].get("TEST", {}).get("TEMPLATE")
    env = {**os.environ, "CQM_MULTIHOST_STATIC": "plain"}
    if template:
        env["CQM_MULTIHOST_TEMPLATE"] = template
    try:
        finished = subprocess.run(
            [str(SCRIPT)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as expired:
        subprocess.run([str(SCRIPT), "--clean"], cwd=ROOT, capture_output=True, timeout=120)
        pytest.fail(f"No result within {TIMEOUT_SECONDS} s:\n{expired.stdout or ''}")
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    for check in CHECKS:
        assert re.search(rf"^{re.escape(check)}\s+PASS\s+\S", output, re.MULTILINE), output
    assert re.search(r"^PASSED in \d+ s$", output, re.MULTILINE), output
