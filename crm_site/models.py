"""System-level rows: what the beat schedule in code last set on each periodic task."""

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
