"""Writes and side effects of the documents app.

May import documents.models, crm and recruiting (models and services), lib and integrations.
"""
