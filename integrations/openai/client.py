"""One call: a system and a user message in, a pydantic-validated JSON answer out.

Docs: https://platform.openai.com/docs/api-reference/chat/create (wire format
summarised in ../shared/INTEGRATIONS.md §6). The SDK retries connection errors,
408/409/429 and 5xx itself (OPENAI_MAX_RETRIES, honouring Retry-After); we add
one more attempt when the answer is not valid JSON of the expected shape, then
give up with OpenAIError so the caller can fall back to its rules.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.conf import settings
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:  # the SDK takes 0.3 s to import: only processes that call the model pay for it
    import openai
    from openai.types.chat import ChatCompletionMessageParam

logger = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)
MALFORMED_ATTEMPTS = 2  # the first answer and one retry


class OpenAIError(Exception):
    """The provider could not give a usable answer; `retryable` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class AIResult(Generic[Model]):
    data: Model
    model: str
    prompt_tokens: int
    completion_tokens: int


def is_configured() -> bool:
    """The model is asked: AI_PROVIDER is openai and there is a key (settings.py checks both)."""
    return settings.AI_PROVIDER == "openai" and bool(settings.OPENAI_API_KEY)


def _client() -> openai.OpenAI:
    import openai

    return openai.OpenAI(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL or None,
        timeout=settings.OPENAI_TIMEOUT_SECONDS,
        max_retries=settings.OPENAI_MAX_RETRIES,
    )


def _response_format(schema: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__.lower(), "schema": schema.model_json_schema(), "strict": False},
    }


def complete_json(
    *, system: str, user: str, schema: type[Model], max_tokens: int = 800, temperature: float = 0.3
) -> AIResult[Model]:
    """Ask the model and validate its JSON answer against `schema`."""
    client = _client()
    prompt_tokens = completion_tokens = 0
    problem = ""
    for _attempt in range(MALFORMED_ATTEMPTS):
        response = _create(client, system, user, schema, max_tokens, temperature)
        if response.usage:
            prompt_tokens += response.usage.prompt_tokens
            completion_tokens += response.usage.completion_tokens
        content = response.choices[0].message.content if response.choices else None
        try:
            data = schema.model_validate(json.loads(content or ""))
        except (json.JSONDecodeError, ValidationError) as exc:
            problem = f"malformed answer: {str(exc)[:200]}"
            logger.warning("OpenAI %s (request %s)", problem, getattr(response, "_request_id", None))
            continue
        return AIResult(data, response.model or settings.OPENAI_MODEL, prompt_tokens, completion_tokens)
    raise OpenAIError(problem, retryable=True)


def _create(
    client: openai.OpenAI, system: str, user: str, schema: type[BaseModel], max_tokens: int, temperature: float
) -> Any:
    import openai

    try:
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        return client.chat.completions.create(
            model=settings.OPENAI_MODEL,
            messages=messages,
            response_format=cast(Any, _response_format(schema)),
            max_completion_tokens=max_tokens,
            temperature=temperature,
        )
    except openai.APIStatusError as exc:
        retryable = exc.status_code in (408, 409, 429) or exc.status_code >= 500
        raise OpenAIError(f"OpenAI answered {exc.status_code}: {exc.message[:200]}", retryable=retryable) from exc
    except openai.APIError as exc:  # connection errors and timeouts, after the SDK's retries
        raise OpenAIError(f"OpenAI unreachable: {exc}", retryable=True) from exc
