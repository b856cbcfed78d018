"""System-level rows and fields: what the beat schedule in code last set on each periodic task, and
the fields of a row background jobs claim (crm_site.claims)."""

from __future__ import annotations

from django.db import models


class BeatScheduleDefault(models.Model):
    """The schedule `BEAT_SCHEDULE` gave a periodic task when it was last synced.

    A sync compares it with the code's schedule now: the same means any difference on the
    task row is a person's edit in the admin, which stays; a different one means a developer
    changed the default, which is applied."""

    name = models.CharField(max_length=200, primary_key=True)
    schedule = models.CharField(max_length=200)
    synced_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.schedule}"


class Claimable(models.Model):
    """The fields a background job claims a row by (crm_site.claims): who holds it, until when,
    how many tries failed, when it may be tried again, and why the last one failed."""

    # Defaults in the database too: rows inserted by SQL (the importer's COPY and merge) get them.
    claim_owner = models.CharField(max_length=80, blank=True, default="", db_default="", editable=False)
    claim_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    retry_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, default="", db_default="", editable=False)

    class Meta:
        abstract = True
