"""The user administration pages: list, invite, edit, deactivate and reactivate, history.

Administrators manage every account; a customer administrator the customer users of their own
company. Anyone else gets a 403 before any account is read; an account outside the viewer's reach
(another company's user, one of our staff) is a 404 exactly like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import form_page, paged, run_service
from core.routes import Routes

from . import selectors, services
from .forms import SetPasswordForm
from .invitations import INVITATION_VALID_DAYS, invitation_tokens
from .models import User
from .user_forms import UserEditForm, UserInviteForm, UserSearchForm, manages_all

USERS_PER_PAGE = 25
routes = Routes()


def _require_user_admin(user) -> None:
    if not services.may_manage_users(user):
        raise HttpForbidden


def _managed_account(request, pk) -> User:
    _require_user_admin(request.user)
    accounts = User.objects.manageable_by(request.user).select_related("customer")
    return get_object_or_404(accounts, pk=pk)


def _account_page(account: User) -> str:
    return reverse("accounts:user-update", args=[account.pk])


@routes.get("users/", name="user-list")
def user_list(request):
    _require_user_admin(request.user)
    search = UserSearchForm(request.GET or None, actor=request.user)
    users = selectors.user_list(request.user, **search.selection())
    context = {
        **paged(request, users, USERS_PER_PAGE, "users"),
        "search": search,
        "manages_all": manages_all(request.user),
    }
    return render(request, "accounts/users/user_list.html", context)


@routes.form("users/invite/", name="user-invite")
def user_invite(request):
    _require_user_admin(request.user)
    form = UserInviteForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        services.user_invite,
        template="accounts/users/user_form.html",
        context={"valid_days": INVITATION_VALID_DAYS},
        message=lambda account: _("%(user)s has been invited; the e-mail is on its way.")
        % {"user": account},
        to=_account_page,
        invalid_status=200,
    )


@routes.form("users/<int:pk>/edit/", name="user-update")
def user_update(request, pk):
    account = _managed_account(request, pk)
    form = UserEditForm(request.POST or None, actor=request.user, user=account)
    context = {
        "account": account,
        "invitation_pending": account.is_active and not account.has_usable_password(),
        "is_self": account.pk == request.user.pk,
    }
    return form_page(
        request,
        form,
        services.user_update,
        template="accounts/users/user_form.html",
        context=context,
        message=lambda saved: _("%(user)s has been saved.") % {"user": saved},
        to=_account_page,
        invalid_status=200,
        user=account,
    )


def _confirmed_write(request, pk, service, *, done: str, template_context: dict):
    """GET asks for confirmation; POST runs ``service`` and goes back to the account."""
    account = _managed_account(request, pk)
    if request.method == "POST":
        run_service(
            request,
            service,
            success_message=done % {"user": account},
            user=account,
            actor=request.user,
        )
        return redirect(_account_page(account))
    context = {"account": account, "is_self": account.pk == request.user.pk, **template_context}
    return render(request, "accounts/users/user_confirm.html", context)


def _confirmed_page(service, done, *, deactivating: bool):
    """The page of ``service``: it asks for confirmation, then runs it and says ``done``."""

    def view(request, pk):
        context = {"deactivating": deactivating}
        return _confirmed_write(request, pk, service, done=str(done), template_context=context)

    return view


user_deactivate = routes.form("users/<int:pk>/deactivate/", name="user-deactivate")(
    _confirmed_page(
        services.user_deactivate,
        gettext_lazy("%(user)s has been deactivated and signed out everywhere."),
        deactivating=True,
    )
)
user_reactivate = routes.form("users/<int:pk>/reactivate/", name="user-reactivate")(
    _confirmed_page(
        services.user_reactivate, gettext_lazy("%(user)s can sign in again."), deactivating=False
    )
)


@routes.post("users/<int:pk>/invitation/", name="user-invitation-resend")
def user_invitation_resend(request, pk):
    account = _managed_account(request, pk)
    run_service(
        request,
        services.user_invitation_resend,
        success_message=_("The invitation has been sent to %(email)s again.")
        % {"email": account.email},
        user=account,
        actor=request.user,
    )
    return redirect(_account_page(account))


@routes.get("users/<int:pk>/history/", name="user-history")
def user_history(request, pk):
    account = _managed_account(request, pk)
    context = {"account": account, "history": selectors.user_history(account)}
    return render(request, "accounts/users/user_history.html", context)


@routes("invitation/<uidb64>/<token>/", name="invitation-accept")
class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses their first password: the password-reset page's mechanics."""

    template_name = "accounts/users/invitation_accept.html"
    form_class = SetPasswordForm
    token_generator = invitation_tokens
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome to the CQM Portal."))
        return response
