"""The demo world (``seed_demo``) for tests: seeded once per test run, copied for each class.

Seeding it files forty claims with their 8Ds, audits, PPAPs, changes and almost two years of
history: minutes of work. It is written once into a template database (``tests.database_template``)
and every test class that reads it gets a copy of its own, in about a second. The attachment
files the seed writes go to one media folder of the run, which the classes read while they run.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.test import override_settings

from core.management.commands.seed_demo import demo_modules
from tests.database_template import Seed, module_database

TODAY = dt.date(2026, 3, 10)


def media_root(tmp_path_factory, key: str) -> Path:
    """The media folder of the run's demo world ``key``: the same for every pytest-xdist worker."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo-media" / key
    root.mkdir(parents=True, exist_ok=True)
    return root


def _seed(media: Path, past_months: int) -> None:
    with override_settings(MEDIA_ROOT=str(media), CQM_DEMO_PAST_MONTHS=past_months):
        for module in demo_modules():
            module.seed(today=TODAY)


@contextmanager
def demo_database(django_db_blocker, tmp_path_factory, *, past_months: int = 0):
    """A copy of the seeded demo world, with MEDIA_ROOT on its files, for a class or module.

    ``past_months``: the claims of the months before (CQM_DEMO_PAST_MONTHS; the test settings
    leave them out, the demo history's tests want them).
    """
    key = f"demo_{TODAY:%Y%m%d}_{past_months}"
    media = media_root(tmp_path_factory, key)
    seed = Seed(key=key, run=partial(_seed, media, past_months))
    with (
        module_database(django_db_blocker, "demo", seed=seed),
        override_settings(MEDIA_ROOT=str(media)),
    ):
        yield media
