"""The signed-in user of a request, typed as a User for the services that record who acted."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied


def signed_in(request: Any) -> User:
    """`request.user` once a permission check let it through; never an AnonymousUser."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return cast(User, user)
