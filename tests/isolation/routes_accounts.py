"""Routes of accounts (sign-in, one's own settings, user administration), classified for the
tenant isolation sweep.

Merged into ``routes.REGISTRY``. The sweep's customer users are no customer administrators: the
user administration refuses them before any account is read. A customer administrator of one
company against the other's users and our staff: accounts/tests/test_user_admin_isolation.py.
"""

from __future__ import annotations

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of

_ACCOUNT = _of(pk=lambda side: side.user.pk)

REGISTRY: dict[str, Route] = {
    "accounts:login": Route(Access.PUBLIC),
    "accounts:logout": Route(Access.PUBLIC, methods=POST_ONLY),
    "accounts:password-change": Route(Access.OWN_ACCOUNT),
    "accounts:password-change-done": Route(Access.OWN_ACCOUNT, methods=GET_ONLY),
    "accounts:password-reset": Route(Access.PUBLIC),
    "accounts:password-reset-done": Route(Access.PUBLIC, methods=GET_ONLY),
    "accounts:password-reset-confirm": Route(
        Access.PUBLIC,
        _of(uidb64=lambda side: side.user_uidb64, token=lambda side: "set-password"),
        note="Another user's id with a made-up token: the page says the link is invalid.",
    ),
    "accounts:password-reset-complete": Route(Access.PUBLIC, methods=GET_ONLY),
    "accounts:profile": Route(Access.OWN_ACCOUNT),
    "accounts:two-factor": Route(Access.OWN_ACCOUNT, methods=GET_ONLY),
    "accounts:two-factor-setup": Route(Access.OWN_ACCOUNT),
    "accounts:two-factor-verify": Route(
        Access.PUBLIC, note="The code step of signing in: without a pending sign-in, the login."
    ),
    "accounts:two-factor-disable": Route(Access.OWN_ACCOUNT, methods=POST_ONLY),
    "accounts:two-factor-backup-codes": Route(Access.OWN_ACCOUNT, methods=POST_ONLY),
    "accounts:token-create": Route(Access.OWN_ACCOUNT, methods=POST_ONLY),
    "accounts:token-revoke": Route(
        Access.OWN_ACCOUNT, _of(pk=lambda side: side.token.pk), methods=POST_ONLY
    ),
    # user administration (see the module's docstring for customer administrators)
    "accounts:user-list": Route(Access.STAFF_ONLY, methods=GET_ONLY, staff="admin"),
    "accounts:user-invite": Route(Access.STAFF_ONLY, staff="admin"),
    "accounts:user-update": Route(Access.STAFF_ONLY, _ACCOUNT, staff="admin"),
    "accounts:user-deactivate": Route(
        Access.STAFF_ONLY, _ACCOUNT, staff="admin", note="GET asks for confirmation, POST does it."
    ),
    "accounts:user-reactivate": Route(Access.STAFF_ONLY, _ACCOUNT, staff="admin"),
    "accounts:user-history": Route(Access.STAFF_ONLY, _ACCOUNT, methods=GET_ONLY, staff="admin"),
    "accounts:user-invitation-resend": Route(
        Access.STAFF_ONLY, _ACCOUNT, methods=POST_ONLY, staff="admin"
    ),
    "accounts:invitation-accept": Route(
        Access.PUBLIC,
        _of(uidb64=lambda side: side.user_uidb64, token=lambda side: "set-password"),
        note="Another user's id with a made-up token: the page says the link is invalid.",
    ),
}
