from django import template
from django.utils import formats, timezone, translation

register = template.Library()

# Never ambiguous (DESIGN §14): "7 Dec 2026, 14:05" in English, "07.12.2026, 14:05" in German.
_FORMATS = {"de": "d.m.Y, H:i"}
_DEFAULT_FORMAT = "j M Y, H:i"


@register.filter
def notification_time(value) -> str:
    """A notification's time in the viewer's language and time zone."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (translation.get_language() or "en").split("-")[0]
    return formats.date_format(value, _FORMATS.get(language, _DEFAULT_FORMAT))
