"""The JSON the model must answer with; anything else is retried once, then the rules decide."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Action = Literal["send_email", "move_stage", "wait", "flag_for_review"]
Intent = Literal[
    "interested", "not_interested", "question", "out_of_office", "unsubscribe", "referral", "bounce", "unclear"
]
Sentiment = Literal["positive", "negative", "neutral"]


class DecisionMetadata(BaseModel):
    target_stage: str | None = None
    email_type: str | None = None
    wait_days: int | None = Field(default=None, ge=0, le=60)


class DealDecision(BaseModel):
    action: Action
    reasoning: str = Field(min_length=1, max_length=2000)
    metadata: DecisionMetadata = Field(default_factory=DecisionMetadata)


class ComposedEmail(BaseModel):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=6000)


class ReplyClassification(BaseModel):
    sentiment: Sentiment
    intent: Intent
    suggested_action: str = Field(min_length=1, max_length=500)
    confidence: float | None = Field(default=None, ge=0, le=1)


class PitchAngle(BaseModel):
    angle: str = Field(min_length=1, max_length=1500)
    anchor_text: str = Field(min_length=1, max_length=120)


class LeadScore(BaseModel):
    score: int = Field(ge=0, le=100)
    reasoning: str = Field(default="", max_length=1000)
