"""Skill taxonomy and the offline extractor; pure Python, no Django, no network.

`taxonomy` loads the checked-in skill list (data/skills.json, built by data/build_taxonomy.py) and folds
names that come from a model onto canonical ones; `offline` finds skills in CV text without a model
(`matching` finds the mentions, `context` judges ordinary words such as "Go" or "Excel", `proficiency`
reads the level cues around them); `text` holds the tokeniser and key functions they all share.
Nothing here may import Django, the ORM or `integrations`.
"""
