from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "core/home.html", {})


@login_required
def my_actions(request):
    return render(request, "core/my_actions.html", {})


@login_required
def attachment_download(request, pk):
    raise Http404
