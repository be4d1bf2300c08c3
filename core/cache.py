"""A Redis cache that a Redis outage slows down instead of breaking.

Everything the portal caches (figures, counts, list fragments, throttling counters) can be
computed again, so a cache server that is away is a miss, logged once a minute, not an error page.
``CACHE_URL=redis://…`` selects this backend (settings).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60


class TolerantRedisCache(RedisCache):
    _warned_at = 0.0

    def _unavailable(self, operation: str, default=None):
        now = time.monotonic()
        if now - TolerantRedisCache._warned_at >= WARN_EVERY_SECONDS:
            TolerantRedisCache._warned_at = now
            logger.warning("Cache unavailable (%s); serving without it", operation, exc_info=True)
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._unavailable("get", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self._unavailable("get_many", {})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            self._unavailable("set")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            return self._unavailable("add", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            return self._unavailable("incr", delta)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return self._unavailable("delete", False)
