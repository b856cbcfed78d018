"""Admin of messaging (django-unfold): WhatsApp conversations and messages, sync state and the retry action."""

from messaging.admin import conversations, messages

__all__ = ["conversations", "messages"]
