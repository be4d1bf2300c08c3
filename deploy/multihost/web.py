"""A small HTTP client for the checks: a browser's cookies, kept across hosts.

A browser's cookie jar keys cookies by host; here the same session cookie is meant to travel
from one web host to another (as it does behind one public name), so the cookies are a plain
dictionary sent to whichever host is asked.
"""

from __future__ import annotations

import io
import re

import requests

TIMEOUT = 30
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy from the environment between us and the hosts

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if method.upper() not in ("GET", "HEAD") and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
            headers.setdefault("Referer", url)
        self.http.cookies.clear()
        response = self.http.request(
            method,
            url,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=TIMEOUT,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def sign_in(self, base: str, email: str, password: str) -> requests.Response:
        """The sign-in form: 302 signed in, 200 refused, 429 locked out."""
        page = self.get(base + "/accounts/login/")
        token = CSRF_FIELD.search(page.content)
        data = {"username": email, "password": password}
        if token:
            data["csrfmiddlewaretoken"] = token.group(1).decode()
        return self.post(base + "/accounts/login/", data=data)


def png_photo(seed: int, size: int = 96) -> bytes:
    """A real PNG of noise (different for every seed), as a photo of a defect would be."""
    import random

    from PIL import Image

    generator = random.Random(seed)
    image = Image.new("RGB", (size, size))
    image.putdata(
        [
            (generator.randrange(256), generator.randrange(256), generator.randrange(256))
            for _ in range(size * size)
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
