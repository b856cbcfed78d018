"""WhatsApp webhooks: Meta's Cloud API (verified and signed) and a whatsapp-web style gateway (WAHA, token)."""
