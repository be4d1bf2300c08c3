from rest_framework.permissions import SAFE_METHODS, BasePermission

from customers.permissions import has


class WriteCapability(BasePermission):
    """Reads for every signed-in user (the queryset scopes them); writes need a capability."""

    message = "You are not allowed to change this master data."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return has(request.user, view.write_capability)
