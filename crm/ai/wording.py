"""What the autopilot decided, as a sentence staff read (the board, the deal's side panel).

The decision log keeps codes (`send_email`, `flag_for_review`, `send_followup_2`) for scripts and
the API; people see these sentences instead. Pure functions: no ORM, no HTTP.
"""

from __future__ import annotations

from typing import Any

EMAIL_KINDS = {
    "send_initial_email": "the first email",
    "initial outreach": "the first email",
    "send_pitch": "a pitch",
    "send_followup": "a follow-up",
    "send_followup_1": "the first follow-up",
    "first follow-up": "the first follow-up",
    "send_followup_2": "the second follow-up",
    "second follow-up": "the second follow-up",
    "final follow-up": "the last follow-up",
}
INTENTS = {
    "interested": "interested",
    "not_interested": "not interested",
    "question": "a question",
    "out_of_office": "an out-of-office answer",
    "unsubscribe": "a request to stop emailing",
    "referral": "a referral to someone else",
    "bounce": "a bounce",
    "unclear": "unclear",
}


def _days(value: Any) -> str:
    try:
        days = float(value)
    except (TypeError, ValueError):
        return "a while"
    return "a day" if days == 1 else f"{days:g} days"


def _analysis(action: str, metadata: dict[str, Any]) -> str:
    if action == "send_email":
        kind = EMAIL_KINDS.get(str(metadata.get("email_type") or ""), "an email")
        return f"Decided to send {kind}"
    if action == "move_stage":
        target = metadata.get("target_stage")
        return f"Decided to move the deal to {target}" if target else "Decided to move the deal on"
    if action == "wait":
        return f"Decided to wait {_days(metadata.get('wait_days') or 1)}"
    if action == "flag_for_review":
        return "Asked a person to look at the deal"
    return f"Decided: {action.replace('_', ' ')}"


def decision_sentence(decision_type: str, action_taken: str, metadata: dict[str, Any] | None = None) -> str:
    """ "Decided to send the second follow-up", "Read the reply as not interested", ..."""
    metadata = metadata or {}
    action = action_taken or ""
    if decision_type == "analyze_deal":
        return _analysis(action, metadata)
    if decision_type == "compose_email":
        return f"Wrote {EMAIL_KINDS.get(action, 'an email')}"
    if decision_type == "move_stage":
        return f"Moved the deal to {action}" if action else "Moved the deal"
    if decision_type == "classify_reply":
        return f"Read the reply as {INTENTS.get(action, action.replace('_', ' ') or 'unclear')}"
    if decision_type == "score_lead":
        return f"Scored the lead {action} out of 100" if action else "Scored the lead"
    if decision_type == "pitch_angle":
        return "Chose an angle for the pitch"
    return action.replace("_", " ").capitalize()
