"""The inbound edge: verify -> store an InboundEvent -> enqueue -> answer 200.

One folder per provider (zoho/, whatsapp/, ...) with views, payload parsing,
handlers and fixtures of real payloads. Handlers call the services of the app
that owns the work (crm, recruiting); nothing imports this package back.
"""
