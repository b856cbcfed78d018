"""JobMatch: how well a role fits a candidate, with the per-criterion breakdown and the reasons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from recruiting.models.candidates import Candidate
from recruiting.models.roles import Role

# The best matches kept per candidate; the rest are not worth a row.
MATCHES_KEPT = 50


class JobMatch(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(help_text=_("0-100, weighted"))
    industry_score = models.FloatField()
    location_score = models.FloatField()
    policy_score = models.FloatField()
    skills_score = models.FloatField()
    explanation = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-score"]
        verbose_name = _("job match")
        verbose_name_plural = _("job matches")
        constraints = [models.UniqueConstraint(fields=["candidate", "role"], name="match_once_per_pair")]
        indexes = [models.Index(fields=["candidate", "-score"], name="match_best_first")]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.role}: {self.score:.0f}"
