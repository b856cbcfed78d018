"""CRM models, one module per concept, re-exported here.

Modules import each other only downwards (contacts <- pipelines <- deals <-
sequences/activity); nothing here imports services, admin or integrations.
"""
