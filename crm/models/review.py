"""The daily review the autopilot writes for each brand, read on the dashboard."""

from __future__ import annotations

from django.db import models

from crm.models.brands import Brand


class DailySummary(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="daily_summaries")
    date = models.DateField(help_text="In the brand's time zone")
    text = models.TextField()
    figures = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "brand__name"]
        verbose_name_plural = "daily summaries"
        constraints = [models.UniqueConstraint(fields=["brand", "date"], name="summary_once_per_brand_and_day")]

    def __str__(self) -> str:
        return f"{self.brand} · {self.date}"
