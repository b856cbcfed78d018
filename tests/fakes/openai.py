"""A fake OpenAI Chat Completions endpoint (../shared/INTEGRATIONS.md §6), for the real `openai` client.

Answers `POST /v1/chat/completions` with a chat.completion whose content is JSON
chosen by the request's json_schema name, unless a test queued its own
contents. Usage counts estimate tokens as characters / 4. Failure modes: a
wrong key gives 401; `fail_next(...)` gives 429 or 500; a queued non-JSON
content models a malformed answer; `delay` models a slow provider.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable
from typing import Any

from tests.fakes.server import FakeServer, Request, Response

API_KEY = "sk-test-fake"
PATH = "/v1/chat/completions"


def tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


def default_answer(schema: str, prompt: str) -> dict[str, Any]:
    if schema == "dealdecision":
        return {"action": "wait", "reasoning": "The fake model thinks waiting is wise.", "metadata": {"wait_days": 2}}
    if schema == "composedemail":
        name = re.search(r"RECIPIENT: ([^\n]+?) at", prompt)
        who = name.group(1).split()[0] if name else "there"
        return {
            "subject": "An idea for your team",
            "body": f"Hi {who},\n\nA personal note from the fake model.\n\nBest",
        }
    if schema == "replyclassification":
        reply = prompt.lower()
        if "not interested" in reply:
            return {"sentiment": "negative", "intent": "not_interested", "suggested_action": "Close the deal."}
        return {"sentiment": "positive", "intent": "interested", "suggested_action": "Call them."}
    if schema == "leadscore":
        return {"score": 72, "reasoning": "A solid fit."}
    if schema == "aiskills":
        return {"skills": [skill for cue, skill in SKILL_CUES if cue in prompt]}
    return {}


# What the fake "reads" in a CV, answered with the loose names a model uses (normalised by us).
SKILL_CUES = (
    ("Python", {"name": "Python 3", "category": "Programming", "proficiency": "expert", "evidence": "Python"}),
    ("Django", {"name": "django", "category": "Tools", "proficiency": "advanced", "evidence": "Django"}),
    ("JavaScript", {"name": "JS", "category": "Programming", "proficiency": "intermediate", "evidence": "JavaScript"}),
    ("PostgreSQL", {"name": "Postgres", "category": "Tools", "proficiency": "advanced", "evidence": "PostgreSQL"}),
    (
        "led a team",
        {"name": "Leadership", "category": "Soft Skills", "proficiency": "advanced", "evidence": "led a team"},
    ),
)


class FakeOpenAI(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.contents: list[str] = []  # queued raw answers, used before the defaults
        self.answer: Callable[[str, str], dict[str, Any]] = default_answer
        self.delay = 0.0
        self._ids = itertools.count(1)
        self.route("POST", PATH, self._complete)

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def chat_requests(self) -> list[Request]:
        return self.received("POST", PATH)

    def _complete(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return Response(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                             "param": None, "code": "invalid_api_key"}})  # fmt: skip
        body = request.json()
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
        content = self.contents.pop(0) if self.contents else json.dumps(self.answer(schema, prompt))
        return Response(
            200, self._completion(body, prompt, content), headers={"x-request-id": "req_fake"}, delay=self.delay
        )

    def _completion(self, body: dict[str, Any], prompt: str, content: str) -> dict[str, Any]:
        prompt_tokens, completion_tokens = tokens(prompt), tokens(content)
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": 1767225600,
            "model": body.get("model", "gpt-4o-mini"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],  # fmt: skip
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def rate_limited(after_ms: int = 10) -> Response:
    return Response(429, {"error": {"message": "Rate limit reached for requests", "type": "requests",
                                    "param": None, "code": "rate_limit_exceeded"}},
                    headers={"retry-after-ms": str(after_ms)})  # fmt: skip


def server_error() -> Response:
    return Response(500, {"error": {"message": "The server had an error.", "type": "server_error", "param": None,
                                    "code": None}})  # fmt: skip
