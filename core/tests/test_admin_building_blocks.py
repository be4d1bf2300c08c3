"""The admin's read-only building blocks and the module apps' start-up."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.utils.module_loading import import_string

from claims.models import Claim, ClaimEvent
from core import app_config, home
from core.admin import EVENT_FIELDS, ReadOnlyAdminMixin, ReadOnlyInline, read_only_inline
from notifications import kinds


class _Admin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


def test_read_only_admin_refuses_add_change_and_delete_but_shows(rf: RequestFactory, admin_user):
    request = rf.get("/")
    request.user = admin_user
    model_admin = _Admin(Claim, admin.site)

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_a_read_only_inline_shows_every_field_as_text(rf: RequestFactory, admin_user):
    request = rf.get("/")
    request.user = admin_user
    inline_class = read_only_inline(ClaimEvent, EVENT_FIELDS)
    inline = inline_class(Claim, admin.site)

    assert inline_class.__name__ == "ClaimEventInline"
    assert issubclass(inline_class, ReadOnlyInline)
    assert inline.extra == 0
    assert list(inline.get_readonly_fields(request)) == EVENT_FIELDS
    assert not inline.has_add_permission(request, obj=None)
    assert not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)


@pytest.mark.parametrize("label", ["claims", "changes", "ppap", "audits"])
def test_a_module_app_puts_its_cards_on_home_and_registers_its_kinds(label, monkeypatch):
    config = apps.get_app_config(label)
    registered_cards = []
    monkeypatch.setattr(home, "register_home_cards", registered_cards.append)

    config.ready()

    assert isinstance(config, app_config.ModuleAppConfig)
    assert registered_cards == [import_string(config.home_cards)]
    assert [kind for kind in kinds.all_kinds() if kind.key.startswith(f"{label}.")]
