"""What messaging tells whoever listens. Receivers run in the sender's transaction.

`whatsapp_message` is sent with `message` (a WhatsAppMessage just stored, inbound) by
whatsapp_message_receive, in its transaction.
"""

from django.dispatch import Signal

whatsapp_message = Signal()
