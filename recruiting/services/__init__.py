"""Recruiting operations: candidates, CV files, skills, matching, roles, and the Ready to Pitch flow.

May import recruiting.models, recruiting.cv/skills/matching and integrations; never webhooks.
"""
