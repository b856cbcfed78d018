"""Named write operations of the CRM (`<entity>_<verb>`), each one transaction.

Entry points (admin, API, commands, tasks) call these; they raise crm.errors,
never HTTP errors. May import crm.models, crm.importing and integrations.
"""
