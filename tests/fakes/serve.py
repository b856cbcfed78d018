"""Run a fake in its own process: `python -m tests.fakes.serve zoho|zoho_crm|openai|chatwoot`; prints its URL.

Benchmarks use it so that the fake does not share a process (and a GIL) with what is measured.
"""

from __future__ import annotations

import sys
import threading

from tests.fakes.chatwoot import FakeChatwoot
from tests.fakes.openai import FakeOpenAI
from tests.fakes.zoho import FakeZoho
from tests.fakes.zoho_crm import FakeZohoCRM

FAKES = {"zoho": FakeZoho, "zoho_crm": FakeZohoCRM, "openai": FakeOpenAI, "chatwoot": FakeChatwoot}


def main() -> None:
    fake = FAKES[sys.argv[1]]().start()
    print(fake.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
