"""The demo's clock: demo records are written through the same services as real ones, at the
moments they would have happened.

A demo claim notified 84 days ago was filed, acknowledged, contained and closed on the days a team
would have done it, so its events, history, deadlines and the dashboard's on-time rate, reaction
time and closures per month read like a real past instead of "everything happened a minute ago".
The services take the time from ``django.utils.timezone.now()``; ``at()`` moves that clock (with
time-machine) for the duration of one step. Only the demo seeders use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import time_machine
from django.utils import timezone


@contextlib.contextmanager
def at(moment: dt.datetime):
    """Run the block as if it were ``moment``; a moment in the future runs now."""
    if moment >= timezone.now():
        yield
        return
    with time_machine.travel(moment, tick=False):
        yield
