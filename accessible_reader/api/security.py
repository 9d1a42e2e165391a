"""Passwords, signed tokens and the login rate limit of the service. No globals: one of each per app.

* Passwords and reader PINs are hashed with argon2id (argon2-cffi defaults).
* Session tokens and download links are ``payload.expiry.signature`` where the signature is
  HMAC-SHA256 over ``payload.expiry`` with the service secret (``Settings.secret_key`` or a
  random key created once in ``<data_dir>/secret.key``, mode 0600). Tokens are stateless;
  changing the secret logs everyone out and voids every link.
* CSRF tokens (web forms, cookie-authenticated API writes) are HMAC-SHA256 of ``csrf:<session token>``
  with the same secret: one per session, stateless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from accessible_reader.atomic import atomic_write_text
from accessible_reader.settings import Settings


class Passwords:
    """argon2id hashing of staff passwords and reader PINs. Thread-safe.

    Defaults are argon2-cffi's (RFC 9106 low-memory profile: 3 passes, 64 MiB); tests pass
    cheaper ``time_cost``/``memory_cost`` (KiB) to stay fast. Hashes record their parameters,
    so either verifies the other's.
    """

    def __init__(self, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        if time_cost is None and memory_cost is None:
            self._hasher = PasswordHasher()
        else:
            self._hasher = PasswordHasher(time_cost=time_cost or 3, memory_cost=memory_cost or 65536, parallelism=1)

    def hash(self, secret: str) -> str:
        """The argon2id hash of ``secret`` (encoded, with its salt and parameters)."""
        return self._hasher.hash(secret)

    def verify(self, hashed: str, secret: str) -> bool:
        """Whether ``secret`` matches ``hashed``; False for a malformed hash, never raises."""
        try:
            return self._hasher.verify(hashed, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def load_secret(settings: Settings) -> bytes:
    """The HMAC key: ``settings.secret_key`` if set, else ``<data_dir>/secret.key`` (created once)."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    path = settings.data_dir / "secret.key"
    if not path.exists():
        atomic_write_text(path, secrets.token_hex(32))
        os.chmod(path, 0o600)
    return Path(path).read_text(encoding="utf-8").strip().encode("utf-8")


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that also accepts non-ASCII input (which never matches)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


class Signer:
    """Signs and checks ``payload.expiry.signature`` tokens (HMAC-SHA256). Thread-safe, pure but for the clock."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, message: str) -> str:
        digest = hmac.new(self._secret, message.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def sign(self, payload: str, ttl_s: int, now: float | None = None) -> str:
        """A token carrying ``payload`` (no dots) valid for ``ttl_s`` seconds."""
        expiry = int((time.time() if now is None else now) + ttl_s)
        message = f"{payload}.{expiry}"
        return f"{message}.{self._signature(message)}"

    def unsign(self, token: str, now: float | None = None) -> str | None:
        """The payload of a valid, unexpired token; None otherwise."""
        try:
            payload, expiry, signature = token.rsplit(".", 2)
            expires = int(expiry)
        except ValueError:
            return None
        if not _same(signature, self._signature(f"{payload}.{expiry}")):
            return None
        if expires < (time.time() if now is None else now):
            return None
        return payload

    def csrf_token(self, session: str) -> str:
        """The CSRF token of one session: HMAC-SHA256 of the session token (URL-safe base64, 43 characters).

        Pure. Bound to the exact session token, so it changes at every login and a token taken from
        another session never matches; it needs no server-side state.
        """
        return self._signature(f"csrf:{session}")

    def check_csrf(self, session: str | None, given: str | None) -> bool:
        """Whether ``given`` is the CSRF token of ``session`` (constant time); False when either is missing."""
        if not session or not given:
            return False
        return _same(given, self.csrf_token(session))

    def link_signature(self, artifact_id: str, expires: int) -> str:
        """The signature of a download link for ``artifact_id`` valid until ``expires`` (Unix seconds)."""
        return self._signature(f"link:{artifact_id}:{expires}")

    def check_link(self, artifact_id: str, expires: int, signature: str, now: float | None = None) -> bool:
        """Whether a download link is genuine and not expired."""
        if expires < (time.time() if now is None else now):
            return False
        return _same(signature, self.link_signature(artifact_id, expires))


class LoginRateLimiter:
    """Counts failed logins per key (user name + client address) in a sliding window. Thread-safe.

    ``blocked(key)`` is True once ``max_failures`` failures happened within ``window_s``
    seconds; a successful login clears the key.
    """

    def __init__(self, max_failures: int, window_s: float) -> None:
        self._max = max_failures
        self._window = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        return times

    def blocked(self, key: str, now: float | None = None) -> bool:
        """Whether logins for ``key`` are refused now."""
        with self._lock:
            return len(self._recent(key, time.monotonic() if now is None else now)) >= self._max

    def failed(self, key: str, now: float | None = None) -> None:
        """Record one failed login for ``key``."""
        with self._lock:
            self._recent(key, time.monotonic() if now is None else now).append(time.monotonic() if now is None else now)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._failures.pop(key, None)
