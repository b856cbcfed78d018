"""Zoho CRM workflow webhooks: the Ready to Pitch contact webhook and the staff endpoints around it."""
