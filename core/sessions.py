"""Sessions read from the shared cache and kept in the database (``SESSION_ENGINE``).

Django's ``cached_db`` engine: a signed-in request finds its session in the cache instead of
querying the database, and every write goes to the database first, so a cache that is cleared or
restarted signs nobody out (sessions written before this engine was chosen are read from the
database once, then cached). On top of Django's engine:

* a session ended in the database other than through this class (``sessions_end_all``:
  "sign out everywhere", deactivating a user; ``clearsessions``) is dropped from the cache as
  well, so a cached copy cannot keep a browser signed in;
* a cache that is away (a Redis outage) counts as a miss: sessions are then read from and written
  to the database alone, and nobody is refused or signed out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete

logger = logging.getLogger(__name__)

CACHE_KEY_PREFIX = cached_db.KEY_PREFIX


def session_cache():
    return caches[settings.SESSION_CACHE_ALIAS]


def forget_cached_session(session_key: str) -> None:
    """Drop the cached copy of a session; a cache that is away has nothing to forget."""
    try:
        session_cache().delete(CACHE_KEY_PREFIX + session_key)
    except Exception:
        logger.warning("Could not drop a session from the cache", exc_info=True)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # an unreachable cache or a key it refuses: read the database
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._cache_quietly(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if CACHE_KEY_PREFIX + session_key in self._cache:
                return True
        except Exception:
            pass  # the database answers below
        return DatabaseSessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is None:
            return
        DatabaseSessionStore.delete(self, session_key)
        # Also when the row had already gone: a copy may have outlived it in the cache.
        forget_cached_session(session_key)

    def _cache_quietly(self, data, timeout) -> None:
        try:
            self._cache.set(self.cache_key, data, timeout)
        except Exception:
            logger.warning("Could not cache a session", exc_info=True)


def _forget_deleted_session(sender, instance, **kwargs):
    forget_cached_session(instance.session_key)
    # Again after the commit: a request that read the row before the deletion was committed may
    # have cached it meanwhile.
    transaction.on_commit(lambda: forget_cached_session(instance.session_key))


post_delete.connect(
    _forget_deleted_session, sender=Session, dispatch_uid="core.sessions.forget_deleted"
)
