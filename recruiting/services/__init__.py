"""Recruiting operations: candidates, CV files, skills, matching, roles, and the Ready to Pitch flow.

May import recruiting.models, recruiting.skills/matching, lib.extraction and integrations; never webhooks.
"""
