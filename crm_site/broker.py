"""The embedded broker: kombu's filesystem transport, with messages published atomically.

kombu writes a message straight into its final `<...>.<queue>.msg` file. A worker that lists the
folder between the file's creation and the write takes it away empty, fails to parse it, and
stops with "Unrecoverable error: JSONDecodeError" (celery/kombu#1551; seen here as a worker that
died in the middle of the test suite). Here a message is written under a name the reader skips
and renamed into place, which POSIX makes atomic: a reader sees the whole message or none.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]  # as kombu's own
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".part"  # ends in ".part": _get looks only for "<queue>.msg"
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
