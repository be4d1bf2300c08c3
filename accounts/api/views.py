from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.lockout import lockout_message
from accounts.services import token_create_for_sign_in
from accounts.two_factor import check_code, has_two_factor, requires_two_factor

from .serializers import ErrorDetailSerializer, TokenRequestSerializer, TokenResponseSerializer


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Unable to sign in with this e-mail address and password.")
    default_code = "invalid_credentials"


class TokenNotIssued(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "token_not_issued"


class AccountLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class ObtainTokenView(APIView):
    """Exchange an e-mail address and password for a new API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="Obtain an API token",
        description=(
            "Signs in with e-mail address and password and issues a new named API token "
            "(visible and revocable on the profile page). An account with two-factor sign-in "
            "sends the current code as `code`; staff accounts that must use two-factor sign-in "
            "set it up in the portal first. Failed attempts count towards the sign-in lockout."
        ),
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            # The body is the API's shared Error (by field for invalid input, else detail).
            400: OpenApiResponse(
                description="Wrong e-mail address or password, a missing or wrong "
                "two-factor code, an inactive account, invalid input or the token limit reached.",
            ),
            429: OpenApiResponse(
                ErrorDetailSerializer,
                description="Locked out after too many failed attempts, or throttled.",
            ),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain Django request: django-axes counts failures and flags lockouts on it.
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            raise AccountLocked(lockout_message(django_request))
        if user is None:
            raise InvalidCredentials()
        _check_second_factor(django_request, user, serializer.validated_data.get("code", ""))
        # A password sign-in like the login page: records last_login and clears failed attempts.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        try:
            _token, key = token_create_for_sign_in(user=user)
        except ValidationError as error:
            raise TokenNotIssued(" ".join(error.messages)) from error
        return Response(TokenResponseSerializer({"token": key}).data, status=status.HTTP_200_OK)


def _check_second_factor(request, user, code: str) -> None:
    """A token is as strong as a sign-in: the password alone is not enough where 2FA is on."""
    if has_two_factor(user):
        if not code.strip():
            raise TokenNotIssued(
                _(
                    "This account signs in with a second factor: send the current code from "
                    "your authenticator app (or a backup code) as “code”."
                )
            )
        result = check_code(user, code)
        if not result.accepted:
            if not result.wait_seconds:
                # A wrong code counts like a wrong password towards the lockout.
                credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise TokenNotIssued(result.error_message())
    elif requires_two_factor(user):
        raise TokenNotIssued(
            _(
                "Set up two-factor sign-in on your profile page in the portal before you obtain "
                "an API token."
            )
        )
