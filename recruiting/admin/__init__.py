"""Admin of recruiting (django-unfold), one module per concept; actions call recruiting.services."""

from recruiting.admin import candidates, documents, matches, roles

__all__ = ["candidates", "documents", "matches", "roles"]
