"""Messaging operations: receiving WhatsApp messages and statuses, tagging conversations, syncing to Chatwoot.

May import messaging.models, messaging.tagging, recruiting.selectors and integrations; never webhooks.
"""
