"""The integration hub (mycrm-new-features.md, section 4): what happens in the CRM leaves it.

Events are written to an outbox in the transaction of the change that causes them, then fanned
out to outgoing webhooks signed as Standard Webhooks says, retried with back-off from the
database (docs/adr/0018). Not `integrations/` (the vendor clients) nor `webhooks/` (the inbound edge).
"""
