"""Inbound event storage (arrives with the first webhook provider)."""
