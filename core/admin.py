"""Admin building blocks shared by every app."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages that show past versions and never write one back.

    simple-history saves a POSTed history form ("revert") for anyone with the view permission,
    whatever SIMPLE_HISTORY_REVERT_DISABLED says: history is evidence, so only GET is served.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
