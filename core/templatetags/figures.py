"""``{% cached_part "name" %}…{% endcached_part %}``: a part of a page kept while its data holds.

The part is rendered once and served again to the same viewer for the same page (path and query
string) until a table it was rendered from changes (``core.data_version``, ``core.reads``), and at
most a minute later, for due dates that age with the clock.

- ``{% cached_part "name" with_form %}`` is for parts that hold forms: the browser's CSRF secret
  joins the key, so that the token inside stays valid for that browser.
- ``{% cached_part "name" only %}`` depends on the tables read while the part renders, not on
  what the request read before. For a part that reads everything it shows itself, such as a
  filter form whose choices are queried as it renders: a new claim then leaves it cached.
"""

from __future__ import annotations

import hashlib

from django import template
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from core import data_version

register = template.Library()


@register.tag
def cached_part(parser, token):
    bits = token.split_contents()
    options = set(bits[2:])
    if len(bits) < 2 or not options <= {"with_form", "only"}:
        raise template.TemplateSyntaxError(
            f'Usage: {{% {bits[0]} "name" [with_form] [only] %}}…{{% end{bits[0]} %}}'
        )
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return CachedPartNode(
        nodelist,
        parser.compile_filter(bits[1]),
        with_form="with_form" in options,
        only="only" in options,
    )


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name, *, with_form: bool, only: bool):
        self.nodelist, self.name = nodelist, name
        self.with_form, self.only = with_form, only

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        user = getattr(request, "user", None)
        key = [request.get_full_path(), getattr(user, "pk", "")]
        if self.with_form:
            get_token(request)  # the browser gets the cookie the cached token belongs to
            key.append(hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest())
        name = f"part:{self.name.resolve(context)}"
        html = data_version.cached(
            name, key, lambda: str(self.nodelist.render(context)), own_reads_only=self.only
        )
        return mark_safe(html)
