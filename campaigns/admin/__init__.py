from campaigns.admin.templates import EmailTemplateAdmin

__all__ = ["EmailTemplateAdmin"]
