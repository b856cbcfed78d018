"""What campaigns tell whoever listens. Receivers run in the sender's transaction.

`campaign_completed` is sent with `campaign` when its last recipient is settled and it is marked
sent, in that transaction.
"""

from django.dispatch import Signal

campaign_completed = Signal()
