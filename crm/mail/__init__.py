"""A brand's mailbox: send, read new inbound mail, find a sent message by its send key.

base.py     the Mailbox protocol and the message types
zoho.py     Zoho Mail (integrations.zoho), for brands with credentials
outbox.py   the local outbox (OutboxMessage rows), for brands without
content.py  the outgoing HTML: sanitised, with pixel, unsubscribe link and send key; its text part
parsing.py  reading inbound mail: headers, auto-replies, bounces (RFC 3834, 3464, 3463)
intent/     what a human reply means, without an AI key: a small trained model (docs/adr/0011)
"""
