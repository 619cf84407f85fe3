"""Sessions in the database, cached in Redis (SESSION_ENGINE when REDIS_URL is set).

Django's cached_db, except that a save or a deletion Redis missed is recorded
(galerie.core.outbox) and that key deleted from Redis once it answers: a session ended or
changed during an outage never comes back in its old state from the cache. Reads during an
outage go to the database.
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

from galerie.core import outbox
from galerie.core.rediscache import CacheUnavailable, cache_strict


class SessionStore(cached_db.SessionStore):
    def save(self, must_create=False):
        DBStore.save(self, must_create)
        key = self.cache_key
        try:
            with cache_strict():
                self._cache.set(key, self._session, self.get_expiry_age())
        except CacheUnavailable:
            outbox.stale_keys_record([key])

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        key = self.cache_key_prefix + session_key
        try:
            with cache_strict():
                self._cache.delete(key)
        except CacheUnavailable:
            outbox.stale_keys_record([key])
