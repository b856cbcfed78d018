"""The label catalogue and the conversation tagger (AI with a rule-based fallback)."""
