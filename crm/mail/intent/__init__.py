"""What a human reply means, without a model provider: the offline judgement of `classify_reply`.

corpus.py   the labelled reply corpus (replies/*.jsonl) and its held-out fifth
cues.py     phrase lists of what each intent tends to say, in the brands' languages
model.py    the features of a reply and the linear model over them (model.json)
train.py    trains model.json from the corpus (python -m crm.mail.intent.train)
Standard library and numpy only: no Django, so training and the bench run without settings.
"""
