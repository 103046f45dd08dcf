"""Sessions in the database (the truth: a logout deletes the row), read from the cache when a trusted copy
is there (edtech.auth_cache): a signed-in request costs no SELECT for its session."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from edtech import auth_cache, cache


class SessionStore(db.SessionStore):
    def load(self):
        if not self.session_key:
            return {}
        hit = auth_cache.read_session(self.session_key)
        now = timezone.now().timestamp()
        if hit.value is not None and hit.value["expires"] > now:
            return self.decode(hit.value["data"])
        row = self._get_session_from_db()  # type: ignore[attr-defined]  # the db backend's own, absent from the stubs
        if row is None:  # unknown or expired: _get_session_from_db dropped the key
            return {}
        expires = row.expire_date.timestamp()
        data = self.decode(row.session_data)
        # The account's id beside the data (which is signed, not readable there): the read script reads the
        # account's copy in the same round trip.
        account = data.get(SESSION_KEY)
        hit.store(
            {"data": row.session_data, "expires": expires, "uid": str(account) if account is not None else None},
            min(cache.TTL["student_profile"], int(expires - now)),
        )
        return data

    def save(self, must_create=False):
        super().save(must_create=must_create)
        if not must_create:
            auth_cache.forget("session", self.session_key)

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super().delete(session_key)
        if session_key:
            auth_cache.forget("session", session_key)
