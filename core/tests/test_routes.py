"""The standard pages of a register: routes, names and views follow one convention."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve, reverse

from core.routes import MASTER_DATA_PAGES, RECORD_PAGES, register_pages


def _view(name):
    def view(request, **kwargs):
        return name

    return view


GADGETS = SimpleNamespace(
    __name__="gadgets.views",
    **{
        f"gadget_{page}": _view(page)
        for page in [*RECORD_PAGES, "export", "attachment_add", "import_template"]
    },
)


def _table(patterns):
    return [(pattern.name, str(pattern.pattern), pattern.callback) for pattern in patterns]


def test_each_page_gets_its_route_its_view_and_a_name_after_the_noun():
    patterns = register_pages(GADGETS, "gadget", [*RECORD_PAGES, "export", "attachment_add"])

    assert _table(patterns) == [
        ("gadget-list", "", GADGETS.gadget_list),
        ("gadget-create", "new/", GADGETS.gadget_create),
        ("gadget-detail", "<int:pk>/", GADGETS.gadget_detail),
        ("gadget-update", "<int:pk>/edit/", GADGETS.gadget_update),
        ("gadget-transition", "<int:pk>/do/<slug:action>/", GADGETS.gadget_transition),
        ("gadget-export", "export.csv", GADGETS.gadget_export),
        ("gadget-attachment-add", "<int:pk>/attachments/", GADGETS.gadget_attachment_add),
    ]


def test_master_data_has_no_workflow_and_a_prefix_goes_before_every_route():
    patterns = register_pages(GADGETS, "gadget", MASTER_DATA_PAGES, prefix="gadgets/")

    assert [str(pattern.pattern) for pattern in patterns] == [
        "gadgets/",
        "gadgets/new/",
        "gadgets/<int:pk>/",
        "gadgets/<int:pk>/edit/",
    ]


def test_a_missing_view_is_named_when_the_urls_load():
    with pytest.raises(ImproperlyConfigured, match=r"gadgets.views has no view gadget_import\(\)"):
        register_pages(GADGETS, "gadget", ["import"])


@pytest.mark.parametrize(
    ("name", "args", "url", "view"),
    [
        ("claims:claim-detail", [7], "/claims/7/", "claims.views.claim_detail"),
        ("claims:claim-export", [], "/claims/export.csv", "claims.document_views.claim_export"),
        ("changes:deviation-update", [3], "/changes/deviations/3/edit/", None),
        ("audits:finding-transition", [5, "close"], "/audits/findings/5/do/close/", None),
        ("customers:part-import-template", [], "/parts/import/template.csv", None),
        ("metrics:delivery-list", [], "/metrics/deliveries/", None),
    ],
)
def test_the_project_reverses_and_resolves_the_standard_pages(name, args, url, view):
    assert reverse(name, args=args) == url
    match = resolve(url)
    assert f"{match.namespace}:{match.url_name}" == name
    if view:
        assert f"{match.func.__module__}.{match.func.__name__}" == view
