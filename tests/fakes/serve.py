"""Run a fake in its own process: `python -m tests.fakes.serve zoho|openai`; prints its URL.

Benchmarks use it so that the fake does not share a process (and a GIL) with what is measured.
"""

from __future__ import annotations

import sys
import threading

from tests.fakes.openai import FakeOpenAI
from tests.fakes.zoho import FakeZoho

FAKES = {"zoho": FakeZoho, "openai": FakeOpenAI}


def main() -> None:
    fake = FAKES[sys.argv[1]]().start()
    print(fake.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
