"""What a human reply means, without a model provider: the offline judgement of `classify_reply`.

corpus.py   the labelled reply corpus (replies/*.jsonl) and its held-out fifth
Pure Python and numpy: no Django, so the training script and the bench run without settings.
"""
