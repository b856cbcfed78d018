from campaigns.admin.campaigns import CampaignAdmin, CampaignRecipientAdmin, CampaignSegmentAdmin
from campaigns.admin.templates import EmailTemplateAdmin

__all__ = ["CampaignAdmin", "CampaignRecipientAdmin", "CampaignSegmentAdmin", "EmailTemplateAdmin"]
