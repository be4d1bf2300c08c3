"""The portal's settings with plain static file names, for a run that checks scaling out and not
static files (the test suite's run): no collectstatic of every asset first, minutes of CPU."""

from cqm_portal.settings import *  # noqa: F403
from cqm_portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
