"""What recruiting tells whoever listens. Receivers run in the sender's transaction.

`cv_stored` is sent with `document` (recruiting's CV Document, its text already read) when a
candidate's CV file from Zoho CRM is stored; the documents app keeps every CV as a version of the
candidate's CV document (docs/adr/0017).

`candidate_ready_to_pitch` is sent with `candidate` and `matches` (its best job matches, as the
matches endpoint answers them) when a Ready to Pitch run has finished, in the transaction that
records its outcome.
"""

from django.dispatch import Signal

cv_stored = Signal()
candidate_ready_to_pitch = Signal()
