"""The domain this service serves: the one place a domain plugs into the platform.

The app (main.py), the migrations (migrations/env.py) and the job runner (jobs.py) read DOMAIN;
to serve your own domain, build a `registration.Domain` for it and name it here.
"""

from __future__ import annotations

from .registration import Domain
from .shop import SHOP

DOMAIN: Domain = SHOP
