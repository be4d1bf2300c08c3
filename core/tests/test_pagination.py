"""HorizonPaginator: exact below the horizon, "more than" beyond it, and a page cost that stays."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from core.models import Sequence
from core.pagination import PAGES_AHEAD, HorizonPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    Sequence.objects.bulk_create(Sequence(prefix=f"K{n:03d}", year=2026) for n in range(60))
    return Sequence.objects.order_by("prefix")


def test_a_list_within_the_horizon_is_counted_exactly(rows):
    paginator = HorizonPaginator(rows, 10, min_counted=100)
    page = paginator.get_page(2)
    assert (paginator.count, paginator.num_pages, paginator.is_capped) == (60, 6, False)
    assert [row.prefix for row in page.object_list][:2] == ["K010", "K011"]


def test_beyond_the_horizon_the_count_stops_and_says_more(rows, rf):
    paginator = HorizonPaginator(rows, 2, min_counted=5)
    page = paginator.get_page(1)
    horizon = (1 + PAGES_AHEAD) * 2
    assert paginator.horizon == horizon
    assert paginator.count == horizon + 1 and paginator.is_capped
    html = render_to_string("partials/pagination.html", {"page_obj": page}, request=rf.get("/"))
    assert f"1–2 of more than {horizon}" in html


def test_a_far_page_moves_the_horizon_and_reads_the_right_rows(rows):
    paginator = HorizonPaginator(rows, 2, min_counted=5)
    page = paginator.get_page(25)
    assert paginator.horizon == (25 + PAGES_AHEAD) * 2
    assert [row.prefix for row in page.object_list] == ["K048", "K049"]
    assert page.has_next()
    last = HorizonPaginator(rows, 2, min_counted=5).get_page(30)
    assert [row.prefix for row in last.object_list] == ["K058", "K059"] and not last.has_next()


def test_counting_reads_only_primary_keys_with_a_limit(rows):
    paginator = HorizonPaginator(rows, 2, min_counted=40)
    with CaptureQueriesContext(connection) as queries:
        paginator.get_page("not a number")
    (count,) = [q["sql"] for q in queries if "COUNT" in q["sql"]]
    assert "LIMIT 41" in count and "last_value" not in count.split("FROM")[1]
