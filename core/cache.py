"""A Redis cache that a Redis outage slows down instead of breaking.

Everything the portal caches (figures, counts, list fragments, throttling counters) can be
computed again, so a cache server that is away is a miss, logged once a minute, not an error page.
``CACHE_URL=redis://…`` selects this backend (settings).
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60


def _tolerant(method, fallback=None):
    """``method`` of the Redis cache, answering ``fallback`` while the server is away."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            return self._unavailable(method.__name__, fallback)

    return call


class TolerantRedisCache(RedisCache):
    _warned_at = 0.0

    def _unavailable(self, operation: str, answer):
        now = time.monotonic()
        if now - TolerantRedisCache._warned_at >= WARN_EVERY_SECONDS:
            TolerantRedisCache._warned_at = now
            logger.warning("Cache unavailable (%s); serving without it", operation, exc_info=True)
        return answer

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._unavailable("get", default)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            return self._unavailable("incr", delta)

    get_many = _tolerant(RedisCache.get_many, {})
    set = _tolerant(RedisCache.set)
    add = _tolerant(RedisCache.add, False)
    delete = _tolerant(RedisCache.delete, False)
