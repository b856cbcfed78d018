"""A daemon thread per process for the web side's background work (the dispatcher of webhooks/dispatch.py)."""

from __future__ import annotations

import os
import threading


class ProcessThread:
    """Starts `_run` in a daemon thread on first use in each process; a forked child (a gunicorn
    worker) gets fresh state from `_reset` and a thread of its own."""

    thread_name = "background"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0

    def _ensure_thread(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._reset()
                threading.Thread(target=self._run, name=self.thread_name, daemon=True).start()
                self._pid = os.getpid()

    def _reset(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        raise NotImplementedError
