"""Where the sweep finds the routes: Django's URL resolver and the API's OpenAPI schema."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# --- walking the URL resolver --------------------------------------------------------------------


@dataclass(frozen=True)
class UrlRoute:
    """One route of the resolver: its registry key, namespace and a concrete sample path."""

    key: str
    name: str | None
    namespace: str
    pattern: str
    sample_path: str

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/v1/")


def url_routes() -> list[UrlRoute]:
    """Every route once: DRF's ``.format`` suffix duplicates fold into their base route."""
    seen: dict[str, UrlRoute] = {}
    for route in _walk(get_resolver().url_patterns, (), ""):
        seen.setdefault(route.key, route)
    return list(seen.values())


def _walk(patterns, pieces: tuple, namespace: str) -> Iterator[UrlRoute]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, (*pieces, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            chain = (*pieces, entry.pattern)
            pattern = "".join(str(piece) for piece in chain)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            key = name or f"{namespace}:<{pattern}>"
            path = "/" + "".join(_sample_piece(str(piece)) for piece in chain)
            yield UrlRoute(key, name, namespace, pattern, path)


# Sample values for parameters that every route of a kind shares (the admin's object ids, …).
_SAMPLE_VALUES = {"app_label": "claims", "url": "no-such-page/", "format": "json"}


def _sample_piece(piece: str) -> str:
    """A concrete path for one pattern piece: ``<int:pk>`` and regex groups become sample values."""
    piece = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _SAMPLE_VALUES.get(m[1], "1"), piece)
    piece = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _SAMPLE_VALUES.get(m[1], "1"), piece)
    piece = re.sub(r"\([^)]*\)", "1", piece)
    return piece.removeprefix("^").removesuffix("$").replace("\\.", ".")


# --- the OpenAPI schema --------------------------------------------------------------------------

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_SCHEMA_PARAMETER_SAMPLES = {"code": "D2", "step_action": "save", "criterion_action": "meet"}


@functools.cache
def schema_operations() -> dict[str, set[str]]:
    """The documented operations by route key: ``{"claim-detail": {"GET", "PATCH"}, …}``.

    Each schema path is resolved to its route; a path that resolves to nothing is keyed by the
    path itself, so that the sweep reports it instead of skipping it.
    """
    from django.urls import Resolver404, resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations: dict[str, set[str]] = {}
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: _SCHEMA_PARAMETER_SAMPLES.get(m[1], "1"), path)
        try:
            match = resolve(concrete)
            key = ":".join([*match.namespaces, match.url_name]) if match.url_name else path
        except Resolver404:
            key = path
        methods = {method.upper() for method in HTTP_METHODS if method in item}
        operations.setdefault(key, set()).update(methods)
    return operations
