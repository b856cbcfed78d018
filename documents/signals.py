"""What documents tell whoever listens. Receivers run in the sender's transaction.

`document_uploaded` is sent with `document` and `version` when a file is stored as a new version
(the first one included), in that transaction.
"""

from django.dispatch import Signal

document_uploaded = Signal()
