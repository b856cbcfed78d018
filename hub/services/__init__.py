"""Writes of the hub. May import hub.models, crm (models, API serializers), integrations and lib."""
