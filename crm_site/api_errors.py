"""DRF exception handler: DRF's own, plus a 400 for values the database cannot hold.

Serializers and filters bound every number they accept; this is the safety
net for a value that slips past them (a 20-digit id reaching the database is
the client's mistake, not a server error).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DataError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, (DataError, OverflowError)):
        logger.info("request with an out-of-range value: %s", exc)
        return Response({"detail": "A value in the request is out of range."}, status=400)
    return drf_exception_handler(exc, context)
