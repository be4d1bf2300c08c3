from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("The e-mail address you sign in with."))
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "The current code from your authenticator app, or one of your backup codes. "
            "Required when two-factor sign-in is on for the account."
        ),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True,
        help_text=_(
            "The new API token. Send it as `Authorization: Token <token>`; "
            "it is shown only in this response."
        ),
    )


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
