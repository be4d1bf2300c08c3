"""Downloads: the 8D report PDF of one claim and the claims list as CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core.pages import document_download

from . import selectors
from .documents import CLAIM_8D
from .exports import claims_csv_response
from .filters import ClaimListFilter
from .models import Claim


def _visible_claim(request, pk) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(request.user).with_related(), pk=pk)


claim_report = document_download(CLAIM_8D, _visible_claim)


@login_required
@require_GET
def claim_export(request):
    claims = selectors.claims_for_list(request.user)
    filters = ClaimListFilter(request.GET or None, queryset=claims, request=request)
    return claims_csv_response(filters.qs if filters.is_bound else claims)
