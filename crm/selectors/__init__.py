"""Read-side queries of the CRM: querysets and typed rows for lists, the API and analytics."""
