"""One way for a background job to take a row to work on (docs/adr/0014).

A row that jobs claim carries the fields of `crm_site.models.Claimable`: who holds it
(`claim_owner`), until when (`claim_until`), how many tries failed (`attempts`), when it may be
tried again (`retry_at`) and why the last try failed (`last_error`).

- `claim_next(queryset, lease=...)` takes the first free row of a queryset, `claim_row(model, pk,
  lease=...)` a given one: one conditional UPDATE each, so two workers never both win a row.
  `claim_batch` takes up to N rows in one UPDATE (`release_all` lets them go in one, `let_go`
  hands back the ones not started).
- The lease is sized for the longest call the work makes, or renewed (`Claim.renew`) between
  calls; a worker killed mid-way leaves a lease that runs out, and the row is free again.
- Only the owner releases (`Claim.release`, writing the outcome in the same UPDATE) or puts the
  row back (`Claim.fail`: one more attempt, a back-off, the error kept). `working(claim)` does
  the latter for any exception raised in its block, Celery's soft time limit included.
- A worker whose lease ran out and was taken over writes nothing: every write is filtered on
  its owner token.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

MAX_ERROR = 2000


def new_owner() -> str:
    """An owner token: host, process and a random part, so no two claims look alike."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def backoff(attempts: int, *, base: timedelta = timedelta(minutes=1), cap: timedelta = timedelta(hours=6)) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... failure, at most `cap`."""
    return min(base * 2 ** max(attempts - 1, 0), cap)


def free(now: datetime) -> Q:
    """Rows nobody holds: never claimed, released, or whose lease ran out."""
    return Q(claim_until__isnull=True) | Q(claim_until__lt=now)


def due(now: datetime) -> Q:
    """Rows free and not waiting for a retry."""
    return free(now) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))


@dataclass(frozen=True)
class Claim:
    model: type[models.Model]
    pk: Any
    owner: str
    until: datetime

    def _mine(self) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(pk=self.pk, claim_owner=self.owner)

    def renew(self, lease: timedelta) -> Claim | None:
        """Push the lease out before a long call; None when the row is no longer ours."""
        until = timezone.now() + lease
        if not self._mine().update(claim_until=until):
            return None
        return Claim(self.model, self.pk, self.owner, until)

    def release(self, **fields: Any) -> bool:
        """The work is done: write `fields` and let go, if the row is still ours."""
        return bool(
            self._mine().update(claim_owner="", claim_until=None, attempts=0, retry_at=None, last_error="", **fields)
        )

    def fail(self, error: str, *, retry_in: timedelta | None = None, **fields: Any) -> bool:
        """The work failed: count it, keep the error, and make the row due again after a back-off
        (`retry_in`, else `backoff(attempts)`)."""
        row = self._mine().values("attempts").first()
        if row is None:
            return False
        attempts = row["attempts"] + 1
        wait = retry_in if retry_in is not None else backoff(attempts)
        return bool(
            self._mine().update(
                claim_owner="",
                claim_until=None,
                attempts=F("attempts") + 1,
                retry_at=timezone.now() + wait,
                last_error=error[:MAX_ERROR],
                **fields,
            )  # fmt: skip
        )


def claim_row(
    model: type[models.Model],
    pk: Any,
    *,
    lease: timedelta,
    owner: str | None = None,
    where: Q | None = None,
    now: datetime | None = None,
) -> Claim | None:
    """Claim the row `pk` if nobody holds it (and it matches `where`)."""
    now = now or timezone.now()
    owner = owner or new_owner()
    rows = model._default_manager.filter(free(now), pk=pk)
    if where is not None:
        rows = rows.filter(where)
    if not rows.update(claim_owner=owner, claim_until=now + lease):
        return None
    return Claim(model, pk, owner, now + lease)


def claim_next(
    queryset: models.QuerySet[Any], *, lease: timedelta, owner: str | None = None, now: datetime | None = None
) -> Claim | None:
    """Claim the first row of `queryset` (in its order) that is due; None when there is none.
    Another worker may win a row between the look and the update: then the next one is tried."""
    now = now or timezone.now()
    owner = owner or new_owner()
    model = queryset.model
    for _ in range(5):
        pk = queryset.filter(due(now)).values_list("pk", flat=True).first()
        if pk is None:
            return None
        if model._default_manager.filter(due(now), pk=pk).update(claim_owner=owner, claim_until=now + lease):
            return Claim(model, pk, owner, now + lease)
    return None


def claim_batch(
    queryset: models.QuerySet[Any],
    *,
    lease: timedelta,
    limit: int,
    owner: str | None = None,
    now: datetime | None = None,
) -> list[Claim]:
    """Claim up to `limit` due rows of `queryset` (in its order) at once: one look and one UPDATE,
    the rows another worker won in between left out. The lease must cover the work on all of them."""
    now = now or timezone.now()
    owner = owner or new_owner()
    model = queryset.model
    for _ in range(5):
        pks = list(queryset.filter(due(now)).values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        model._default_manager.filter(due(now), pk__in=pks).update(claim_owner=owner, claim_until=now + lease)
        mine = list(model._default_manager.filter(pk__in=pks, claim_owner=owner).values_list("pk", flat=True))
        if mine:
            order = {pk: index for index, pk in enumerate(pks)}
            return [Claim(model, pk, owner, now + lease) for pk in sorted(mine, key=order.__getitem__)]
    return []


def release_all(claims: list[Claim], **fields: Any) -> int:
    """`Claim.release` for many rows of one model and owner in one UPDATE; how many were still ours."""
    if not claims:
        return 0
    model, owner = claims[0].model, claims[0].owner
    rows = model._default_manager.filter(pk__in=[claim.pk for claim in claims], claim_owner=owner)
    return rows.update(claim_owner="", claim_until=None, attempts=0, retry_at=None, last_error="", **fields)


def let_go(claims: list[Claim]) -> int:
    """Hand rows back untouched (work not started on them): no attempt counted, no back-off."""
    if not claims:
        return 0
    model, owner = claims[0].model, claims[0].owner
    return model._default_manager.filter(pk__in=[c.pk for c in claims], claim_owner=owner).update(
        claim_owner="", claim_until=None
    )


@contextmanager
def working(claim: Claim, *, retry_in: timedelta | None = None, **on_failure: Any) -> Iterator[Claim]:
    """Put the row back (`Claim.fail`, writing `on_failure` too) if the block raises, then let the
    exception go on."""
    try:
        yield claim
    except Exception as exc:
        claim.fail(f"{type(exc).__name__}: {exc}", retry_in=retry_in, **on_failure)
        raise
