"""Sales and backlink outreach: brands, contacts, pipelines, deals, sequences, the AI autopilot.

Layout: models/ (a package split by concept), services/ (named writes),
selectors/ (reads), ai/, admin/, api/, tasks.py, management/commands/.
May import `integrations`; never imports `webhooks`.
"""
