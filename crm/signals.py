"""What happens in the CRM, told to whoever listens (campaigns keeps its recipients' times; the
integration hub writes its outbox events). Receivers run in the sender's transaction.

`deal_changed` is sent with `deal` and `change` ("created", "updated", "won" or "lost") by the
deal services, inside their transaction.

Imports write in bulk, so their contacts and deals are not told one by one: `contacts_import_wanted`
is sent with `brand_id` as an import starts, and a receiver that answers True is sent
`contacts_imported` with `batch` (crm.services.imports.ImportedBatch: the new contacts and deals)
after each batch is written, in its transaction.

`task_changed` is sent with `task` and `change` ("created" or "completed") by the task services,
inside their transaction.

What recipients did with an email:

`email_event` is sent with `email` (the EmailLog), `event` (one of EVENTS), `at` (when), `machine`
(True when an image proxy, a link scanner or a bot did it: stored, but left out of human rates)
and, for a click, `url` and `user_agent`. Receivers run in the sender's transaction.
"""

from django.dispatch import Signal

EVENTS = ("opened", "clicked", "replied", "bounced", "unsubscribed")

email_event = Signal()
deal_changed = Signal()
DEAL_CHANGES = ("created", "updated", "won", "lost")
task_changed = Signal()
contacts_import_wanted = Signal()
contacts_imported = Signal()
