"""Time zones of people, customers and plants: IANA names such as "Europe/Berlin".

The valid names come from the installed time-zone database when they are needed, never from a
list written into the models: a tzdata update adds or retires zones without a migration.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The inhabited regions offered in pick lists, in this order; other names ("Etc/GMT+5",
# "US/Eastern") stay valid but are only listed for a record that already has one.
_REGIONS = {
    "Europe": _("Europe"),
    "America": _("America"),
    "Asia": _("Asia"),
    "Africa": _("Africa"),
    "Australia": _("Australia"),
    "Pacific": _("Pacific"),
    "Atlantic": _("Atlantic"),
    "Indian": _("Indian Ocean"),
}


@cache
def available_time_zones() -> frozenset[str]:
    """Every zone name the installed time-zone database knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(_("Choose a valid time zone."), code="invalid_time_zone")


@cache
def _zones_by_region() -> tuple:
    by_region = defaultdict(list)
    for zone in sorted(available_time_zones()):
        region, _sep, place = zone.partition("/")
        if region in _REGIONS and place:
            by_region[region].append((zone, place.replace("_", " ").replace("/", " – ")))
    return tuple((region, tuple(by_region[region])) for region in _REGIONS if by_region[region])


def time_zone_choices(current: str | None = None) -> list:
    """UTC and the zones of every inhabited region, grouped by region (plus ``current`` if rare)."""
    choices = [("UTC", "UTC")]
    choices += [(_REGIONS[region], list(zones)) for region, zones in _zones_by_region()]
    offered = {"UTC"} | {zone for _region, zones in _zones_by_region() for zone, _label in zones}
    if current and current not in offered:
        choices.insert(0, (current, current))
    return choices


class TimeZoneSelect(forms.Select):
    """The grouped zone list, which keeps a rare zone the record already has selectable."""

    def get_context(self, name, value, attrs):
        self.choices = time_zone_choices(value if isinstance(value, str) else None)
        return super().get_context(name, value, attrs)


class TimeZoneChoiceField(forms.ChoiceField):
    """A pick list of the usual zones that accepts any zone the database knows."""

    widget = TimeZoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", time_zone_choices)
        super().__init__(**kwargs)

    def valid_value(self, value):
        return value in available_time_zones()


class TimeZoneField(models.CharField):
    """An IANA zone name, checked on validation and picked from a list in forms."""

    default_validators = [validate_time_zone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Not CharField.formfield: a pick list has no max_length to pass.
        return models.Field.formfield(self, **{"form_class": TimeZoneChoiceField, **kwargs})


# For a ModelAdmin's formfield_overrides: the admin gives character fields a text input.
ADMIN_FORMFIELD_OVERRIDES = {TimeZoneField: {"widget": TimeZoneSelect}}
