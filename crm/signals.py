"""What recipients did with an email, told to whoever listens (campaigns keeps its recipients' times).

`email_event` is sent with `email` (the EmailLog), `event` (one of EVENTS), `at` (when), `machine`
(True when an image proxy, a link scanner or a bot did it: stored, but left out of human rates)
and, for a click, `url` and `user_agent`. Receivers run in the sender's transaction.
"""

from django.dispatch import Signal

EVENTS = ("opened", "clicked", "replied", "bounced", "unsubscribed")

email_event = Signal()
