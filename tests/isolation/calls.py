"""Calling a route the way the sweep does, and reading what came back (HTML, JSON, CSV, PDF)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from .discovery import UrlRoute
from .routes import Route


@dataclass(frozen=True)
class Caller:
    """A signed-in (or anonymous) user's way in: a page client, or an API client."""

    label: str
    client: Client | APIClient
    api: bool

    def call(
        self, method: str, url: str, body: dict | None = None, *, multipart=False, follow=False
    ):
        method = method.lower()
        if self.api:
            if method == "get":
                return self.client.get(url, body or {}, follow=follow)
            fmt = "multipart" if multipart else "json"
            return getattr(self.client, method)(url, body or {}, format=fmt, follow=follow)
        if method == "get":
            return self.client.get(url, body or {}, follow=follow)
        return getattr(self.client, method)(url, body or {}, follow=follow)


def page_caller(label: str, user=None) -> Caller:
    client = Client()
    if user is not None:
        client.force_login(user)
    return Caller(label, client, api=False)


def api_caller(label: str, user=None, token_key: str = "") -> Caller:
    client = APIClient()
    if token_key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
        label = f"{label} (token)"
    elif user is not None:
        client.force_authenticate(user)
    return Caller(label, client, api=True)


def url_of(route: UrlRoute, kwargs: dict) -> str:
    if route.name is None:
        return route.sample_path
    return reverse(route.name, kwargs=kwargs) if kwargs else reverse(route.name)


def body_of(entry: Route, side) -> dict | None:
    return entry.sample(side) if entry.sample is not None else None


def text_of(response) -> str:
    """Everything a person could read in the response: the page, the JSON, the CSV or the PDF."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content)
    return content.decode("utf-8", errors="replace")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def shows(text: str, marker: str) -> bool:
    """Whether ``marker`` appears, ignoring case and the line breaks a PDF puts into words."""
    flat = "".join(text.split()).lower()
    return "".join(marker.split()).lower() in flat


def error_messages(response) -> list[str]:
    """The error messages a page left for the next page (writes redirect with a message)."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
