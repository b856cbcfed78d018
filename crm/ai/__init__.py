"""The autopilot's judgement: analyse a deal, compose an email, classify a reply, score a lead.

agent.py   CRMAIAgent: asks OpenAI (integrations.openai) with the active prompt templates,
           falls back to rules.py without a key or when the provider fails, and writes an
           AIDecisionLog for every decision
rules.py   the offline versions of the four operations (model "rules"; replies are read by
           the small trained model of crm/mail/intent/)
facts.py   what is known about a deal or contact, as prompt variables and for the rules
schemas.py the JSON shapes the model must answer with
"""

from crm.ai.agent import CRMAIAgent

__all__ = ["CRMAIAgent"]
