import socket
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm_site.celery import app as celery_app
from crm_site.health import health_status


class Command(BaseCommand):
    help = "Container health probe: exit 0 when the given process is healthy (docker-compose.yml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", choices=["web", "worker", "beat"])
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz", help="web: the URL to probe")

    def handle(self, *args: Any, role: str, url: str, **options: Any) -> None:
        if role == "web":
            self._probe_web(url)
        elif role == "worker":
            self._probe_worker()
        else:
            self._probe_dependencies()
        self.stdout.write(f"{role}: healthy")

    def _probe_web(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a fixed local URL
                response.read()
        except OSError as exc:
            raise CommandError(f"web: {url} answered {exc}") from exc

    def _probe_worker(self) -> None:
        # Ask this container's worker (celery@<hostname>) to answer over the broker.
        destination = [f"celery@{socket.gethostname()}"]
        if not celery_app.control.ping(destination=destination, timeout=5):
            raise CommandError(f"worker: {destination[0]} did not answer a ping")

    def _probe_dependencies(self) -> None:
        healthy, body = health_status()
        if not healthy:
            raise CommandError(f"beat: database or broker unavailable: {body['checks']}")
