from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.api.schema_view import CachedSpectacularAPIView

# Swagger UI (served from our own static files) sets inline styles; allow them on this page only.
_api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

# A database or broker outage answers 503, other errors a plain 500 page; neither reads the DB.
handler500 = "core.views.server_error"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon (PDFs, the API's JSON)."""

    permanent = True
    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


# A request that cannot be read (e.g. a malformed upload) gets the portal's page, not Django's.
handler400 = "core.views.bad_request"
# An unknown URL under /api/ answers in JSON like the rest of the API; elsewhere the 404 page.
handler404 = "core.api.base.page_not_found"

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("customers.urls")),
    path("claims/", include("claims.urls")),
    path("audits/", include("audits.urls")),
    path("ppap/", include("ppap.urls")),
    path("changes/", include("changes.urls")),
    path("metrics/", include("metrics.urls")),
    path("special-status/", include("special_status.urls")),
    path("surveys/", include("surveys.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("cqm_portal.api")),
    # Generated once per code version and language, then cached (core/api/schema_view.py).
    path("api/schema/", CachedSpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", _api_docs, name="api-docs"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
