"""Messaging models, re-exported here: WhatsAppContact (one per phone: the conversation, its tags and
its Chatwoot ids) <- WhatsAppMessage. Nothing here imports services, admin or integrations."""

from messaging.models.contacts import WhatsAppContact
from messaging.models.messages import DeliveryStatus, Direction, SyncState, WhatsAppMessage

__all__ = ["DeliveryStatus", "Direction", "SyncState", "WhatsAppContact", "WhatsAppMessage"]
