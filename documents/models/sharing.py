"""A link that lets someone without a login download a document's current version."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from documents.models.documents import Document


class DocumentShare(models.Model):
    """The token is shown once and kept only as its SHA-256; an optional password is kept as
    Django's password hash. Unknown, expired, revoked and used-up links all answer the same 404."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shares")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False, help_text="The token's first characters")
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveIntegerField(null=True, blank=True)
    download_count = models.PositiveIntegerField(default=0, editable=False)
    last_accessed_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.document} ({self.token_hint}...)"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)
