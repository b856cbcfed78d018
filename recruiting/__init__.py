"""Recruiting: candidates, CV documents, skills, open roles and explained job matches.

Same inner layout as crm/; matching/ holds pure scoring code (no ORM, no HTTP).
May import `integrations`; never imports `webhooks`.
"""
