"""Where the bench writes, and how it runs one probe in a process of its own (bench/probes.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

OUTPUT_DIR = Path(settings.BASE_DIR) / "var" / "bench"


def probe(name: str, *args: str, env: dict | None = None, timeout: float | None = None) -> dict:
    """Run a probe; ``env`` replaces the environment (the bench settings are added to it)."""
    env = {**(os.environ if env is None else env), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.probes", name, *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
        timeout=timeout,
    )  # fmt: skip
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])
