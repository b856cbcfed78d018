"""Write the local `.env` that `make run` needs: `python -m crm_site.envfile [PATH]`.

Fills in whatever of the generated values is missing or blank (a random
SECRET_KEY, a FIELD_ENCRYPTION_KEY, the webhook secrets and the first admin's
credentials) and
never changes a value that is already there. Runs before Django is
configured, so it uses the standard library and cryptography only.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet

GENERATED: dict[str, Callable[[], str]] = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
    "WEBHOOK_SECRET": lambda: secrets.token_urlsafe(32),
    "WHATSAPP_VERIFY_TOKEN": lambda: secrets.token_urlsafe(16),
    "DJANGO_SUPERUSER_USERNAME": lambda: "admin",
    "DJANGO_SUPERUSER_PASSWORD": lambda: secrets.token_urlsafe(12),
    "DJANGO_SUPERUSER_EMAIL": lambda: "admin@localhost",
    # The embedded run's stand-ins, chosen explicitly: production never uses them unasked.
    "MAIL_BACKEND": lambda: "outbox",
    "AI_PROVIDER": lambda: "rules",
}

HEADER = (
    "# Local settings for `make run`, written by `python -m crm_site.envfile`.\n"
    "# Every variable the product reads is described in .env.example.\n"
)
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def envfile_write(path: Path) -> list[str]:
    """Fill the missing or blank generated values into `path`; return their names."""
    lines = path.read_text().splitlines() if path.exists() else HEADER.splitlines()
    present: set[str] = set()
    written: list[str] = []
    for index, line in enumerate(lines):
        match = _ASSIGNMENT.match(line)
        if not match or match.group(1) not in GENERATED:
            continue
        name, value = match.groups()
        present.add(name)
        if value.strip("'\"") == "":
            lines[index] = f"{name}={GENERATED[name]()}"
            written.append(name)
    for name in GENERATED:
        if name not in present:
            lines.append(f"{name}={GENERATED[name]()}")
            written.append(name)
    if written:
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)
    return written


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    written = envfile_write(path)
    if written:
        print(f"{path}: wrote {', '.join(written)}")


if __name__ == "__main__":
    main()
