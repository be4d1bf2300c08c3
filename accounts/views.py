from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def lockout_response(request, credentials, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=429)


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {})
