"""``/api/schema/`` is generated once per code version and language, then served from the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core.api.schema_view import CachedSpectacularAPIView


@pytest.fixture
def generated(monkeypatch):
    """The calls of the costly generation, by language."""
    calls = []
    generate = CachedSpectacularAPIView.generate

    def spy(self, request, version):
        from django.utils import translation

        calls.append(translation.get_language())
        return generate(self, request, version)

    monkeypatch.setattr(CachedSpectacularAPIView, "generate", spy)
    cache.clear()
    yield calls
    cache.clear()


@pytest.mark.django_db
def test_a_second_request_generates_nothing(client, generated):
    first = client.get("/api/schema/", {"format": "json"})
    second = client.get("/api/schema/", {"format": "json"})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert "/api/v1/claims/" in second.json()["paths"]
    assert len(generated) == 1
    # The YAML rendering of the same document is no new generation either.
    assert client.get("/api/schema/").status_code == 200
    assert len(generated) == 1


@pytest.mark.django_db
def test_each_language_is_generated_once_and_unknown_ones_are_the_default(client, generated):
    english = client.get("/api/schema/", {"format": "json"}).json()
    german = client.get("/api/schema/", {"format": "json", "lang": "de"}).json()
    client.get("/api/schema/", {"format": "json", "lang": "de"})
    for junk in ("xx", "a" * 300, "de-zz"):
        client.get("/api/schema/", {"format": "json", "lang": junk})
    assert sorted(generated) == ["de", "en"]
    assert english["info"] == german["info"] or english != german
