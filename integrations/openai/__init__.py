"""OpenAI chat completions with validated JSON answers (the official `openai` client).

Imports nothing of the apps. Settings read at call time: OPENAI_API_KEY,
OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_SECONDS, OPENAI_MAX_RETRIES.
"""

from integrations.openai.client import AIResult, OpenAIError, complete_json, is_configured

__all__ = ["AIResult", "OpenAIError", "complete_json", "is_configured"]
