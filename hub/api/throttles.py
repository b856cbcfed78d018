"""Rate limits of the website's lead capture: per address (LEAD_CAPTURE_RATE) and per brand key
(LEAD_CAPTURE_BRAND_RATE), counted in the cache."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class LeadIPThrottle(SimpleRateThrottle):
    scope = "lead_capture"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LeadBrandThrottle(SimpleRateThrottle):
    scope = "lead_capture_brand"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = request.headers.get("X-Publishable-Key", "")
        if not key:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(key.encode()).hexdigest()[:32]}
