"""Rate limits (Flask-Limiter): login attempts and report renders per client address."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Counts live in the tracker's database (tracker.rate_limits), shared by every worker; TRACKER_RATELIMIT_STORAGE
# (e.g. redis://localhost:6379) puts them elsewhere. The web factory configures the storage per app.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
