"""Recruiting models, one module per concept, re-exported here."""
