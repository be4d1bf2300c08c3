"""The 8D editor and reader, mounted under /claims/<pk>/8d/ (see claims/urls.py).

The names live in the "claims" namespace: reverse("claims:eightd-step", args=[pk, "D4"]).
"""

from .. import customer_action_views
from . import row_views, views

urlpatterns = [
    # The rows of the disciplines (POST only) first: a discipline's code is any string, so the
    # pages of a discipline would take their routes too.
    *customer_action_views.routes.patterns,
    *row_views.routes.patterns,
    *views.routes.patterns,
]
