"""Messaging: WhatsApp messages from candidates, tagged, and mirrored into Chatwoot.

Same inner layout as crm/: models/, services/, tagging/ (the label catalogue and the tagger),
admin/, tasks.py. May import recruiting's services (to link a phone to a candidate) and
integrations; never webhooks.
"""
