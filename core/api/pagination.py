# Kept apart from base.py: DRF imports the pagination class while its own viewsets load.
from rest_framework import pagination

from core.pagination import Paginator


class Pagination(pagination.PageNumberPagination):
    # The exact count the API promises, counted once per change of the data.
    django_paginator_class = Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
