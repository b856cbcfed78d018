"""The embedded broker: a worker polling the folder never takes a message that is still being written."""

import multiprocessing

import pytest
from kombu import Connection
from kombu.transport import filesystem

from tests.fixtures.processes import child_env, manage

MESSAGES = 6
ITEMS = 100_000  # kombu serialises after creating the file: ~50 ms with an empty file in the folder


def publish(transport: str, options: dict[str, str], done: "multiprocessing.synchronize.Event") -> None:
    with Connection("filesystem://", transport=transport, transport_options=options) as connection:
        channel = connection.channel()
        for _ in range(MESSAGES):
            channel._put("q", {"items": [{"n": n} for n in range(ITEMS)]})
    done.set()


def poll_while_publishing(transport: str, folder: str) -> tuple[int, int]:
    """(messages read whole, messages read broken) while another process publishes."""
    options = {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder, "store_processed": False}
    done = multiprocessing.get_context("fork").Event()
    publisher = multiprocessing.get_context("fork").Process(target=publish, args=(transport, options, done))
    whole = broken = 0
    with Connection("filesystem://", transport=transport, transport_options=options) as connection:
        channel = connection.channel()
        publisher.start()
        while whole + broken < MESSAGES and not (done.is_set() and publisher.exitcode not in (None, 0)):
            try:
                message = channel._get("q")
            except filesystem.Empty:
                continue
            except ValueError:
                broken += 1
            else:
                whole += len(message["items"]) == ITEMS
    publisher.join(timeout=30)
    return whole, broken


def test_kombus_own_transport_hands_a_poller_half_written_messages(tmp_path):
    # the failure this module exists for (celery/kombu#1551), shown so the test below means something
    whole, broken = poll_while_publishing("filesystem", str(tmp_path))

    assert broken > 0


def test_our_transport_hands_a_poller_only_whole_messages(tmp_path):
    whole, broken = poll_while_publishing("crm_site.broker:Transport", str(tmp_path))

    assert (whole, broken) == (MESSAGES, 0)


@pytest.mark.parametrize(("url", "transport"), [("", "crm_site.broker:Transport"), ("redis://127.0.0.1:1/0", "None")])
def test_the_embedded_broker_uses_it_and_redis_does_not(url, transport):
    result = manage(
        "shell", "-c", "from django.conf import settings; print(getattr(settings, 'CELERY_BROKER_TRANSPORT', None))",
        env=child_env(DEBUG="true", CELERY_BROKER_URL=url or None),
    )  # fmt: skip

    assert result.stdout.strip().splitlines()[-1] == transport, result.stderr
