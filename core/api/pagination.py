# Kept apart from base.py: DRF imports the pagination class while its own viewsets load.
from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
