"""What recruiting tells whoever listens. Receivers run in the sender's transaction.

`cv_stored` is sent with `document` (recruiting's CV Document, its text already read) when a
candidate's CV file from Zoho CRM is stored; the documents app keeps every CV as a version of the
candidate's CV document (docs/adr/0017).
"""

from django.dispatch import Signal

cv_stored = Signal()
