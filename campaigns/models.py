"""Email campaigns (mycrm-new-features.md, section 1). So far: the brand's email templates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand


class EmailTemplate(models.Model):
    """A brand's campaign email: subject, HTML and text bodies with {{ variables }}, checked on save
    (campaigns.templating)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="email_templates")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    content_html = models.TextField(blank=True, help_text=_('HTML; variables such as {{ first_name|default:"there" }}'))
    content_text = models.TextField(blank=True, help_text=_("Plain text; left empty, it is made from the HTML"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="template_unique_name_per_brand")]

    def __str__(self) -> str:
        return self.name
