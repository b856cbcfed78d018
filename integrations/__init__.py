"""Clients for outside services, one package per vendor (zoho/, openai/, chatwoot/, whatsapp/).

Each client reads its credentials at call time, goes through http.py (the one
place that sets timeouts, retries and the User-Agent), parses responses into
typed objects and raises its own error that says whether a retry can help.
Imports nothing of crm, recruiting or webhooks, and holds no models.
"""
