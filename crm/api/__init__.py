"""REST API of the CRM under /api/crm/: thin DRF views over crm.selectors and crm.services."""
