"""Downloads: the 8D report PDF of one claim and the claims list as CSV.

The renderers let API clients ask for these downloads with ``Accept: application/pdf`` or
``text/csv`` instead of getting 406; errors are still rendered as JSON.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from rest_framework.renderers import BaseRenderer, JSONRenderer

from . import selectors
from .documents import claim_8d_filename, render_claim_8d
from .exports import claims_csv_response
from .filters import ClaimListFilter
from .models import Claim


class _DownloadRenderer(BaseRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, renderer_context=renderer_context)


class PdfDownloadRenderer(_DownloadRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CsvDownloadRenderer(_DownloadRenderer):
    media_type = "text/csv"
    format = "csv"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def claim_report(request, pk):
    claims = Claim.objects.visible_to(request.user).with_related()
    claim = get_object_or_404(claims, pk=pk)
    return pdf_response(render_claim_8d(claim), claim_8d_filename(claim))


@login_required
@require_GET
def claim_export(request):
    claims = selectors.claims_for_list(request.user)
    filters = ClaimListFilter(request.GET or None, queryset=claims, request=request)
    return claims_csv_response(filters.qs if filters.is_bound else claims)
